from django.contrib import admin
from django.urls import include, path

from practica.api.api import api
from practica.web.urls import app_patterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("", include("practica.web.urls")),
    *app_patterns,
]
