"""The search API: everything you may see, with highlights and facets."""

from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Router
from ninja.params.functions import Query

from practica.api.auth import OPTIONAL, OPTIONAL_EXTRA, viewer
from practica.api.problems import problems
from practica.communities import selectors as communities
from practica.search import selectors
from practica.search.backends import MAX_OFFSET
from practica.search.schemas import SearchPageOut, SearchSort

router = Router(tags=["search"])


@router.get(
    "/search",
    response={200: SearchPageOut, **problems(401, 422)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_EXTRA,
)
def search_list(
    request: HttpRequest,
    q: Annotated[
        str,
        Query(
            "",
            description="What to search for, in the search language: "
            'words (all must match), "a phrase", -word, word*, and '
            "filters tag:, community:, author:, type:, is:solved, "
            "is:unsolved, is:unanswered, after:, before: (see "
            "docs/search.md). Only the first 500 characters count.",
        ),
    ] = "",
    community: Annotated[
        str, Query("", description="A community slug to search in only.")
    ] = "",
    sort: Annotated[
        SearchSort,
        Query("relevance", description="Best match first, or newest."),
    ] = "relevance",
    offset: Annotated[
        int,
        Query(
            0,
            ge=0,
            le=MAX_OFFSET,
            description="Skip this many results (next_offset of the "
            f"previous page); at most {MAX_OFFSET}: narrow the query to "
            "go further.",
        ),
    ] = 0,
    limit: Annotated[
        int, Query(20, ge=1, le=50, description="Results per page.")
    ] = 20,
) -> SearchPageOut:
    """Search questions, discussions, artifacts, communities, people,
    events and meeting notes.

    Only what you may see is found, counted and faceted: anonymously the
    public communities; signed in, also your organisation's and your own
    communities, and people. An empty q, or one of only operators, finds
    nothing; what the parser could not use is explained in notes.
    """
    who = viewer(request)
    where = None
    if community.strip():
        try:
            where = communities.community_get(
                viewer=who, slug=community.strip()
            )
        except Http404 as exc:
            raise ValidationError(
                {"community": "No community you may see has this slug."}
            ) from exc
    found = selectors.results(
        viewer=who,
        text=q,
        community=where,
        sort=sort,
        offset=offset,
        limit=limit,
    )
    return SearchPageOut.build(found)
