import os

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from practica.api.api import api
from practica.core.routing import Remembered
from practica.web.urls import app_patterns
from practica.web.views import bench_hello

urlpatterns: list[URLPattern | URLResolver] = [
    Remembered(
        [
            path("admin/", admin.site.urls),
            path("accounts/", include("allauth.urls")),
            path("api/v1/", api.urls),
            path("", include("practica.web.urls")),
            *app_patterns,
        ]
    ),
]
if os.environ.get("PRACTICA_BENCH") == "1":
    # The benchmark's floor, first: a bare view finds its route at once.
    # Last, it paid for failing through every app's routes before it,
    # which no bare Django project pays: on the bench server its CPU per
    # request went from 1.41 to 0.70 ms when it moved first, so every
    # page's share of the floor measured before was flattered.
    urlpatterns.insert(0, path("bench/hello/", bench_hello))
