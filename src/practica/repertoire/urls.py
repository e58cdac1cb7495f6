from django.urls import path

from practica.repertoire import views

app_name = "repertoire"
urlpatterns = [
    # a community's repertoire
    path("c/<slug:slug>/repertoire/", views.artifact_list, name="list"),
    path("c/<slug:slug>/repertoire/new/", views.create, name="create"),
    path("c/<slug:slug>/glossary/", views.glossary, name="glossary"),
    # an artifact
    path("r/<int:pk>/", views.detail, name="detail"),
    path("r/<int:pk>/edit/", views.edit, name="edit"),
    path("r/<int:pk>/revisions/", views.history, name="revisions"),
    path("r/<int:pk>/diff/", views.diff, name="diff"),
    path("r/<int:pk>/revert/<int:number>/", views.revert, name="revert"),
    path("r/<int:pk>/verify/", views.verify, name="verify"),
    path("r/<int:pk>/obsolete/", views.obsolete, name="obsolete"),
    path("r/<int:pk>/restore/", views.restore, name="restore"),
    path("r/<int:pk>/status/", views.set_status, name="status"),
    path("r/<int:pk>/helped/", views.helped, name="helped"),
    path("r/<int:pk>/owners/", views.owners, name="owners"),
    path("r/<int:pk>/files/", views.files, name="files"),
    path("files/<int:pk>/", views.download, name="download"),
    path("files/<int:pk>/remove/", views.file_remove, name="file_remove"),
    # capture a solved question; the owners' review queue
    path("q/<int:pk>/capture/", views.capture, name="capture"),
    path("repertoire/review/", views.review, name="review"),
]
