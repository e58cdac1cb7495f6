from django.urls import path

from practica.communities import views

app_name = "communities"
urlpatterns = [
    path("communities/", views.community_list, name="list"),
    path("c/<slug:slug>/", views.community_detail, name="detail"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
