import os

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from practica.api.api import api
from practica.web.urls import app_patterns
from practica.web.views import bench_hello

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("", include("practica.web.urls")),
    *app_patterns,
]
if os.environ.get("PRACTICA_BENCH") == "1":  # the benchmark's floor
    urlpatterns.append(path("bench/hello/", bench_hello))
