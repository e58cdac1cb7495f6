"""Every address is resolved once per process (core.routing)."""

import pytest
from django.http import HttpResponse
from django.urls import Resolver404, get_resolver, path

from practica.core import routing


def view(request, **kwargs):  # pragma: no cover - never called
    return HttpResponse("")


def routes() -> routing.Remembered:
    return routing.Remembered(
        [path("q/<int:pk>/", view, name="q"), path("about/", view)]
    )


def test_an_address_resolves_as_django_would_and_is_remembered():
    remembered = routes()
    match = remembered.resolve("q/7/")
    assert (match.func, match.kwargs, match.url_name) == (view, {"pk": 7}, "q")
    assert remembered._seen["q/7/"] is match
    assert remembered.resolve("q/7/") is match


def test_an_address_that_matches_nothing_is_not_remembered():
    remembered = routes()
    with pytest.raises(Resolver404):
        remembered.resolve("nowhere/")
    assert "nowhere/" not in remembered._seen


def test_the_table_starts_over_when_full(monkeypatch):
    monkeypatch.setattr(routing, "LIMIT", 3)
    remembered = routes()
    for pk in range(3):
        remembered.resolve(f"q/{pk}/")
    assert len(remembered._seen) == 3
    remembered.resolve("q/99/")
    assert list(remembered._seen) == ["q/99/"]


def test_each_request_gets_its_own_arguments(client):
    # The site's own resolver: the view's kwargs are a new dict each time.
    first = get_resolver().resolve("/search/")
    first.kwargs["spoiled"] = True
    again = get_resolver().resolve("/search/")
    assert "spoiled" not in again.kwargs
    assert again.func is first.func
