"""The search page: one view, a thin layer over ``selectors.results``.

Typing in the box asks for the results fragment (htmx, as you type) and
pushes the query into the address bar, so a search can be bookmarked and
shared; "More results" asks for the next rows only. Without JavaScript
the same form submits and the page renders whole. Whatever was typed,
the answer is a page: an empty or unusable query explains itself.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from practica.search import selectors
from practica.search.query import MAX_LENGTH
from practica.web import pages

Request = pages.HtmxRequest


def _offset(raw: str | None) -> int:
    try:
        return max(0, int(raw or 0))
    except ValueError:
        return 0


@require_GET
def search(request: Request) -> HttpResponse:
    found = selectors.results(
        viewer=request.user,
        text=request.GET.get("q", ""),
        sort=request.GET.get("sort", ""),
        offset=_offset(request.GET.get("offset")),
        limit=selectors.PAGE_SIZE,
    )
    template = "search/page.html"
    fragment = bool(request.htmx) and not (
        request.htmx.history_restore_request
    )
    if fragment:
        template += "#rows" if found.offset else "#results"
    response = render(
        request,
        template,
        {
            "found": found,
            "q": found.text,
            "fragment": fragment,
            "max_length": MAX_LENGTH,
            "sorts": [("relevance", "Best match"), ("newest", "Newest")],
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response
