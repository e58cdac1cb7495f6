"""The benchmark's floor view exists only when PRACTICA_BENCH=1."""

import importlib

import pytest
from django.test import RequestFactory
from django.urls import clear_url_caches

from practica import urls
from practica.web.views import bench_hello


def test_the_hello_view_says_hello():
    response = bench_hello(RequestFactory().get("/bench/hello/"))
    assert response.status_code == 200
    assert response.content == b"Hello, world!"


@pytest.mark.django_db
def test_production_never_exposes_it(client):
    assert client.get("/bench/hello/").status_code == 404


@pytest.mark.django_db
def test_the_benchmark_mounts_it(client, monkeypatch, settings):
    monkeypatch.setenv("PRACTICA_BENCH", "1")
    try:
        settings.ROOT_URLCONF = importlib.reload(urls).__name__
        clear_url_caches()
        assert client.get("/bench/hello/").content == b"Hello, world!"
        # First, as in a bare project: no other route is tried before it.
        assert urls.urlpatterns[0].callback is bench_hello  # type: ignore[union-attr]
    finally:
        monkeypatch.delenv("PRACTICA_BENCH")
        importlib.reload(urls)
        clear_url_caches()
