"""The home page: what Practica is, or what waits for the person."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from practica.communities import selectors
from practica.communities.models import Status

PUBLIC_ON_HOME = 12


def home(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    if not viewer.is_authenticated:
        page = selectors.community_list(viewer=viewer, size=PUBLIC_ON_HOME)
        return render(
            request,
            "web/home.html",
            {
                "public": page.items,
                "more_public": page.next_cursor is not None,
                "member_of": set(),
                "pending_in": set(),
            },
        )
    mine = list(selectors.my_memberships(viewer=viewer))
    return render(
        request,
        "web/home.html",
        {
            "active": [m for m in mine if m.status == Status.ACTIVE],
            "asked": [
                m
                for m in mine
                if m.status in (Status.PENDING, Status.DECLINED)
            ],
            "queue": selectors.coordinator_queue(viewer=viewer),
        },
    )


def bench_hello(request: HttpRequest) -> HttpResponse:
    """The benchmark's floor: the least a Django view can do, behind the
    same middleware and server as every page. Mounted only when
    PRACTICA_BENCH=1 (see bench/)."""
    return HttpResponse(b"Hello, world!", content_type="text/plain")
