from django.urls import path

from practica.accounts import views

app_name = "accounts"
urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person, name="person"),
    path("settings/", views.settings_profile, name="settings"),
]
