"""The home page: what Practica is, or what waits for the person."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from practica.communities import selectors
from practica.communities.models import Status
from practica.core import cache
from practica.web import pages

PUBLIC_ON_HOME = 12


HOME = "web/home.html"


def _visitor_home(request: HttpRequest) -> HttpResponse:
    """The front page every signed-out visitor sees, from the cache: keyed
    by the version of each community it lists (a change to one, or one
    more, shows at once); one small query (compiled once) on a hit and
    no template."""
    viewer = request.user
    shown = selectors.directory_stamps(viewer=viewer, size=PUBLIC_ON_HOME)

    def build() -> tuple[str, int]:
        page = selectors.community_list(viewer=viewer, size=PUBLIC_ON_HOME)
        html = render_to_string(
            HOME,
            {
                "public": page.items,
                "more_public": page.next_cursor is not None,
                "member_of": set(),
                "pending_in": set(),
            },
            request,
        )
        return html, cache.MAX_AGE  # no relative times on it

    return pages.visitor_page(
        request,
        "home",
        tuple((pk, v, cache.stamp(t)) for pk, v, t in shown),
        templates=[HOME, "communities/_card.html"],
        build=build,
    )


def home(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    if not viewer.is_authenticated:
        return _visitor_home(request)
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
