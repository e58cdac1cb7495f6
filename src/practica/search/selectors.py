"""What the search page and the search API show, built once for both.

:func:`results` calls :func:`practica.search.backends.search` (which
filters by ``access`` inside the engine's query) and turns its page into
rows that know where they link and facets that know the query they lead
to, so the page and the API never disagree.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus

from django.urls import get_script_prefix, reverse

from practica.communities.models import Community
from practica.search import backends, engine
from practica.search.documents import ORGANISATION
from practica.search.query import MAX_LENGTH, Parsed

PAGE_SIZE = 20
SORTS = ("relevance", "newest")
LABELS = {
    "question": "Question",
    "discussion": "Discussion",
    "artifact": "Repertoire",
    "community": "Community",
    "person": "Person",
    "event": "Event",
    "notes": "Meeting notes",
}
PLURALS = {
    "question": "Questions",
    "discussion": "Discussions",
    "artifact": "Repertoire",
    "community": "Communities",
    "person": "People",
    "event": "Events",
    "notes": "Meeting notes",
}
# The keys a person may type for each facet ("is:question" is a type too).
_KEYS = {"type": "type|is", "tag": "tag", "community": "community|in"}


@dataclass(frozen=True)
class Row:
    """One hit, with the page it links to and its community (None for
    people, who belong to the whole organisation)."""

    hit: engine.Hit
    url: str
    community: Community | None
    community_url: str = ""
    # Each tag with the address of a search for it.
    tags: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        return LABELS.get(self.hit.type, self.hit.type.title())

    @property
    def best_answer_html(self) -> str:
        """The accepted answer's excerpt, for solved questions only."""
        solved = self.hit.type == "question" and self.hit.solved
        return self.hit.answer_html.strip() if solved else ""


@dataclass(frozen=True)
class Facet:
    """One value of a facet: following it adds its filter to the query
    (or, when the query already has it, takes it out again)."""

    value: str
    label: str
    count: int
    filter: str  # e.g. "tag:terraform"
    active: bool
    query: str  # the query text to search for when following it
    href: str = ""  # the search page for ``query``, in the same order


@dataclass
class Results:
    text: str
    sort: str
    parsed: Parsed
    rows: list[Row]
    total: int
    offset: int
    facets: dict[str, list[Facet]] = field(default_factory=dict)
    next_offset: int | None = None
    notes: list[str] = field(default_factory=list)
    # The facet counts are estimates, rounded ("~3,100"): a broad query
    # on a large index. The total is exact.
    approximate: bool = False

    @property
    def typed(self) -> bool:
        """Did the person type anything at all?"""
        return bool(self.text.strip())

    @property
    def nothing_to_search(self) -> bool:
        """Typed something, but only operators or punctuation."""
        return self.typed and self.parsed.is_empty


# A stand-in argument: reverse() once with it, then put each real one in
# its place (reverse() costs ~30 µs, and a page links 60 to 100 times).
_ARG = "9876543210"
_links: dict[tuple[str, str], str] = {}


def _link(name: str) -> Callable[[int | str], str]:
    """A fast ``reverse(name, args=[x])`` for int and slug arguments
    (which need no quoting)."""
    pattern = (name, get_script_prefix())
    sample = _links.get(pattern)
    if sample is None:
        sample = _links[pattern] = reverse(name, args=[_ARG])
    return lambda value: sample.replace(_ARG, str(value))


def _url(
    hit: engine.Hit,
    community: Community | None,
    notes: dict[int, str],
    link: Callable[[str], Callable[[int | str], str]],
) -> str | None:
    match hit.type:
        case "event":
            return link("events:detail")(hit.id)
        case "notes":
            return notes.get(hit.id)
        case "question" | "discussion":
            return link("conversations:detail")(hit.id)
        case "artifact":
            return link("repertoire:detail")(hit.id)
        case "community":
            return (
                link("communities:detail")(community.slug)
                if community is not None
                else None
            )
        case "person":
            return link("accounts:person")(hit.id)
    return None


def _notes_urls(hits: list[engine.Hit]) -> dict[int, str]:
    """The occurrence pages of the notes among ``hits`` (one query, only
    when there are some): an occurrence's address is its event and its
    original start."""
    ids = [h.id for h in hits if h.type == "notes"]
    if not ids:
        return {}
    from practica.events.models import Occurrence
    from practica.events.selectors import key

    return {
        pk: reverse("events:occurrence", args=[event_id, key(start)])
        for pk, event_id, start in Occurrence.objects.filter(
            pk__in=ids
        ).values_list("pk", "event_id", "original_start")
    }


def _rows(page: backends.Page) -> list[Row]:
    rows = []
    notes = _notes_urls(page.hits)
    linkers: dict[str, Callable[[int | str], str]] = {}

    def link(name: str) -> Callable[[int | str], str]:
        if name not in linkers:
            linkers[name] = _link(name)
        return linkers[name]

    searching = reverse("search:page")
    for hit in page.hits:
        community = page.communities.get(hit.community_id)
        if hit.community_id != ORGANISATION and community is None:
            continue  # its community is gone; the indexer will drop it
        url = _url(hit, community, notes, link)
        if url is None:
            continue
        rows.append(
            Row(
                hit=hit,
                url=url,
                community=community,
                community_url=(
                    link("communities:detail")(community.slug)
                    if community is not None
                    else ""
                ),
                tags=tuple(
                    (tag, f"{searching}?q={quote_plus(f'tag:{tag}')}")
                    for tag in hit.tags
                ),
            )
        )
    return rows


def _has(text: str, name: str, value: str) -> re.Pattern[str]:
    return re.compile(
        rf'(?<!\S)(?:{_KEYS[name]}):"?{re.escape(value)}"?(?!\S)',
        re.IGNORECASE,
    )


def _facet(
    text: str,
    name: str,
    value: str,
    label: str,
    count: int,
    active: bool,
    address: Callable[[str], str] = str,
) -> Facet:
    token = f"{name}:{value}"
    if active:
        query = " ".join(_has(text, name, value).sub(" ", text).split())
    else:
        query = f"{text.strip()} {token}".strip()
    return Facet(
        value=value,
        label=label,
        count=count,
        filter=token,
        active=active,
        query=query,
        href=address(query),
    )


def _facets(
    text: str, page: backends.Page, sort: str = "relevance"
) -> dict[str, list[Facet]]:
    parsed, counts = page.parsed, page.facets
    # A facet's link: the page's address with its query, from the first
    # result on, in the same order.
    searching = reverse("search:page")
    order = "" if sort == "relevance" else f"&sort={quote_plus(sort)}"

    def address(query: str) -> str:
        return f"{searching}?q={quote_plus(query)}{order}"

    types = [
        _facet(
            text,
            "type",
            value,
            PLURALS.get(value, value),
            n,
            value in parsed.types,
            address,
        )
        for value, n in counts.get("type", {}).items()
    ]
    tags = [
        _facet(text, "tag", value, value, n, value in parsed.tags, address)
        for value, n in counts.get("tags", {}).items()
    ]
    places = []
    for key, n in counts.get("community", {}).items():
        community = page.communities.get(int(key))
        if community is None:  # people (the organisation) or gone
            continue
        slug = community.slug
        places.append(
            _facet(
                text,
                "community",
                slug,
                community.name,
                n,
                slug in parsed.communities,
                address,
            )
        )
    return {"type": types, "tag": tags, "community": places}


def results(
    *,
    viewer: Any,
    text: str,
    community: Community | None = None,
    sort: str = "relevance",
    offset: int = 0,
    limit: int = PAGE_SIZE,
    within: backends.Scope | None = None,
    facets: bool = True,
) -> Results:
    """A page of search results the viewer may see, with facets whose
    counts cover only what the viewer may see. Never raises on what a
    person typed: an unusable query gives no rows and a note."""
    text = text or ""
    notes = []
    if len(text) > MAX_LENGTH:
        notes.append(
            f"That query is {len(text):,} characters long; only the first "
            f"{MAX_LENGTH} were searched."
        )
        text = text[:MAX_LENGTH]
    sort = sort if sort in SORTS else "relevance"
    page = backends.search(
        viewer=viewer,
        text=text,
        community=community,
        sort=sort,
        offset=offset,
        limit=limit,
        within=within,
        facets=facets,
    )
    return Results(
        text=text,
        sort=sort,
        parsed=page.parsed,
        rows=_rows(page),
        total=page.total,
        offset=max(0, min(offset, backends.MAX_OFFSET)),
        facets=_facets(text, page, sort),
        next_offset=page.next_offset,
        notes=notes + page.parsed.notes,
        approximate=page.approximate,
    )
