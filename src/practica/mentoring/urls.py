from django.urls import URLPattern

app_name = "mentoring"
urlpatterns: list[URLPattern] = []
