from django.urls import path

from practica.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
