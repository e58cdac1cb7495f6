"""The search page: one view, a thin layer over ``selectors.results``.

Typing in the box asks for the results fragment (htmx, as you type) and
pushes the query into the address bar, so a search can be bookmarked and
shared; "More results" asks for the next rows only. Without JavaScript
the same form submits and the page renders whole. Whatever was typed,
the answer is a page: an empty or unusable query explains itself.

The results (and the status line) are cached by the index's commit
(:func:`backends.generation`), the viewer's scope (the exact set of
communities they may see, so two viewers share an entry only if they
would find exactly the same things), whether they are signed in, and
the address: a popular search, or the same one paged back and forth,
is rendered once per commit of the index. Only addresses asked for
twice are kept, so typing as you go does not fill the cache.
"""

from typing import Any

from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from practica.core import cache as fragments
from practica.search import backends, selectors
from practica.search.query import MAX_LENGTH
from practica.search.templatetags import search_hits
from practica.web import pages

Request = pages.HtmxRequest
PAGE = "search/page.html"
TEMPLATES = (PAGE,)
SEEN = 1  # cached for an address asked for once (see search())


def _offset(raw: str | None) -> int:
    try:
        return max(0, int(raw or 0))
    except ValueError:
        return 0


def _results(
    request: Request, within: backends.Scope, part: str, fragment: bool
) -> dict[str, Any]:
    """The rendered ``part`` of the page (``results`` or ``rows``) and,
    for the whole page, its status line; with the query as searched."""
    found = selectors.results(
        viewer=request.user,
        text=request.GET.get("q", ""),
        sort=request.GET.get("sort", ""),
        offset=_offset(request.GET.get("offset")),
        limit=selectors.PAGE_SIZE,
        within=within,
        facets=part != "rows",  # more rows: no facets shown
    )
    context = {
        "found": found,
        "q": found.text,
        "fragment": fragment,
    }
    parts = {
        "q": found.text,
        "sort": found.sort,
        "body": render_to_string(f"{PAGE}#{part}", context, request),
    }
    if not fragment:
        parts["status"] = render_to_string(f"{PAGE}#status", context, request)
    return parts


def _page(request: Request, parts: dict[str, Any]) -> str:
    """The whole page around the rendered results."""
    return render_to_string(
        PAGE,
        {
            "q": parts["q"],
            "sort": parts["sort"],
            "results_html": mark_safe(parts["body"]),  # noqa: S308
            "status_html": mark_safe(parts["status"]),  # noqa: S308
            "max_length": MAX_LENGTH,
            "sorts": [("relevance", "Best match"), ("newest", "Newest")],
        },
        request,
    )


@require_GET
def search(request: Request) -> HttpResponse:
    fragment = bool(request.htmx) and not (
        request.htmx.history_restore_request
    )
    offset = _offset(request.GET.get("offset"))
    part = "rows" if fragment and offset else "results"
    within = backends.scope(request.user)
    generation = backends.generation()
    # A signed-out visitor's whole page, layout included, is kept with
    # the results (as web.pages.visitor_page keeps other pages): the
    # layout's templates and static files are then in the key too.
    whole = (
        not fragment
        and not request.user.is_authenticated
        and not pages.has_messages(request)
    )
    if generation is None:
        parts = _results(request, within, part, fragment)
    else:
        key = fragments.key(
            "search",
            generation,
            within.name,
            request.user.is_authenticated,
            request.get_full_path(),
            part,
            fragment,
            whole,
            pages.static_digest() if whole else "",
            selectors.PAGE_SIZE,
            search_hits.VERSION,
            templates=[*TEMPLATES, pages.SHELL] if whole else TEMPLATES,
        )
        found = cache.get(key)
        if isinstance(found, dict):
            parts = found
        else:
            # The first time an address is asked for, only a mark is
            # kept: typing as you go asks for a new address every few
            # letters, and a page of results is ~30 kB.
            parts = _results(request, within, part, fragment)
            if whole:
                parts["page"] = _page(request, parts)
            cache.set(key, parts if found else SEEN, fragments.MAX_AGE)
    if fragment:
        html = parts["body"]
    else:
        html = parts.get("page") or _page(request, parts)
    response = HttpResponse(html)
    patch_vary_headers(response, ["HX-Request"])
    return response
