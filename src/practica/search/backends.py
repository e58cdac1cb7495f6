"""The one search interface every app calls.

:func:`search` answers the search page and the API; :func:`query` the
"similar questions" box. Both filter by ``access`` inside the query: the
engine is given the communities the viewer may see (and 0, the
organisation, for signed-in people, which is where people live).

Backends (``SEARCH_BACKEND``): the embedded tantivy engine (``tantivy``,
the default), PostgreSQL's full-text search (``postgres``: no index
outside the database), or for "similar questions" only a plain database
match (``database``, for tests of other apps; searches use tantivy). A
distributed engine would be one more module with the same ``search``
function (see docs/search.md).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q

from practica import access
from practica.communities.models import Community
from practica.core import sql
from practica.search import engine, indexer
from practica.search.documents import ORGANISATION
from practica.search.query import Parsed, parse

_STOP_WORDS = (
    "a an and are as at be but by can do does for from how i if in is it "
    "my no not of on or our so that the their there this to was we what "
    "when where which who why will with you your"
)
STOP = frozenset(_STOP_WORDS.split())
WORD = re.compile(r"[\w-]{3,}")
MAX_OFFSET = 1000


@dataclass(frozen=True)
class Hit:
    kind: str  # "question" or "discussion"
    id: int
    title: str
    community_slug: str
    community_name: str
    solved: bool
    reply_count: int


@dataclass
class Page:
    """A page of hits; ``communities`` are the hits' and the facets'
    (only their id, slug and name are filled in)."""

    parsed: Parsed
    hits: list[engine.Hit]
    total: int
    communities: dict[int, Community]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    next_offset: int | None = None
    # The facet counts are estimates (a broad query on a large index:
    # see engine.search), rounded to two figures; the total is exact.
    approximate: bool = False


def terms(text: str) -> list[str]:
    """The words worth matching, longest first, at most six."""
    words = {w.lower() for w in WORD.findall(text)} - STOP
    return sorted(words, key=lambda w: (-len(w), w))[:6]


@dataclass(frozen=True)
class Scope:
    """What a viewer may search: the ids of the communities they may see
    (and 0, the organisation, where people live, when signed in), and
    the slugs of those communities for ``community:`` filters."""

    ids: list[int]
    slugs: dict[str, int]
    # Each community's slug and name, by id (what a page shows of them).
    names: dict[int, tuple[str, str]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The scope as text, for cache keys: two viewers with the same
        name find exactly the same things."""
        return ",".join(map(str, sorted(self.ids)))


# A signed-out visitor's scope, compiled once per process (see
# core.sql): building the query cost more than the rest of a cached
# search page.
_PUBLIC_SCOPE = sql.Prepared(
    lambda: access.visible_communities(None).values_list("pk", "slug", "name")
)


def scope(viewer: Any, community: Any = None) -> Scope:
    """The viewer's scope (one query), inside ``community`` if given."""
    rows: list[Any]
    if community is None and not getattr(viewer, "is_authenticated", False):
        rows = _PUBLIC_SCOPE()
    else:
        visible = access.visible_communities(viewer)
        if community is not None:
            visible = visible.filter(pk=community.pk)
        rows = list(visible.values_list("pk", "slug", "name"))
    ids = [pk for pk, _, _ in rows]
    if community is None and getattr(viewer, "is_authenticated", False):
        ids.append(ORGANISATION)
    return Scope(
        ids=ids,
        slugs={slug: pk for pk, slug, _ in rows},
        names={pk: (slug, name) for pk, slug, name in rows},
    )


def _scope(viewer: Any, community: Any = None) -> tuple[list[int], dict]:
    found = scope(viewer, community)
    return found.ids, found.slugs


def _fresh() -> None:
    """In the embedded mode, catch up before reading: what was just
    written is indexed at once; on PostgreSQL the cursor still waits
    for the settle delay (see :func:`indexer.catch_up`)."""
    if settings.SEARCH_INDEX_ON_READ and indexer.pending():
        indexer.catch_up(settle=indexer.on_read_settle(), eager=True)


def generation() -> str | None:
    """Catch up (in the embedded mode), then name the index's current
    commit: whatever a search finds is the same until it changes, so
    results may be cached under it. None when the engine has no such
    name (PostgreSQL: the documents are rows, read live)."""
    _fresh()
    if settings.SEARCH_BACKEND == "postgres":
        return None
    return engine.current()[1]


def search(
    *,
    viewer: Any,
    text: str,
    community: Any = None,
    sort: str = "relevance",
    offset: int = 0,
    limit: int = 20,
    within: Scope | None = None,
    facets: bool = True,
) -> Page:
    """Everything matching ``text`` that the viewer may see, a page at a
    time, with facet counts (unless ``facets`` is false: a page of more
    rows shows none, and only counting is cheaper). Never raises on what
    a person typed.

    ``within`` is the viewer's :func:`scope` when the caller has it
    already, and has caught up (:func:`generation`)."""
    parsed = parse(text)
    offset = max(0, min(int(offset or 0), MAX_OFFSET))
    if within is None:
        within = scope(viewer, community)
        if not parsed.is_empty and within.ids:
            _fresh()
    ids, slugs = within.ids, within.slugs
    if parsed.is_empty or not ids:
        return Page(parsed=parsed, hits=[], total=0, communities={})
    result = indexer.store().search(
        parsed=parsed,
        community_ids=ids,
        community_slugs=slugs,
        sort="newest" if sort == "newest" else "relevance",
        offset=offset,
        limit=limit,
        facets=facets,
    )
    # The hits' communities and the facet's, for their names and slugs;
    # the facet counted only communities the viewer may see.
    shown = {h.community_id for h in result.hits} | {
        int(key) for key in result.facets.get("community", {})
    }
    # Their slugs and names came with the scope: no query for them.
    names = {
        pk: Community(
            pk=pk, slug=within.names[pk][0], name=within.names[pk][1]
        )
        for pk in shown
        if pk in within.names
    }
    more = offset + limit < min(result.total, MAX_OFFSET + limit)
    return Page(
        parsed=parsed,
        hits=result.hits,
        total=result.total,
        communities=names,
        facets=result.facets,
        next_offset=offset + limit if more else None,
        approximate=result.approximate,
    )


def query(
    *, viewer: Any, text: str, community: Any = None, limit: int = 10
) -> list[Hit]:
    """Questions and discussions similar to ``text`` (any of its words),
    best first; what the "similar questions" box shows."""
    words = terms(text)
    ids, _ = _scope(viewer, community)
    ids = [i for i in ids if i != ORGANISATION]
    if not words or not ids:
        return []
    if settings.SEARCH_BACKEND == "database":
        return _database(words, ids, limit)
    _fresh()
    hits = indexer.store().similar(words=words, community_ids=ids, limit=limit)
    names = Community.objects.in_bulk({h.community_id for h in hits})
    return [
        Hit(
            kind=h.type,
            id=h.id,
            title=h.title,
            community_slug=names[h.community_id].slug,
            community_name=names[h.community_id].name,
            solved=h.solved,
            reply_count=h.replies,
        )
        for h in hits
        if h.community_id in names
    ]


@dataclass
class Evidence:
    """What the engine knows about who could answer: people whose
    profile matches, and similar threads (whose answers count)."""

    people: list[engine.Match] = field(default_factory=list)
    threads: list[engine.Hit] = field(default_factory=list)


def evidence(
    *,
    text: str,
    tags: list[str],
    community: Community,
    people: Iterable[int] | None = None,
    exclude: int = 0,
    limit: int = 20,
) -> Evidence:
    """For "who to ask": people whose profile (skills, job title,
    department, introduction) matches the words of ``text`` or who list
    one of ``tags`` (skill slugs) as a skill, best first; and up to
    ``limit`` questions and discussions of ``community`` similar to
    ``text`` (any of its words), without the one numbered ``exclude``.

    People are visible to every signed-in person, and the caller has
    checked that the viewer may see the community; ``people`` (ids: the
    community's members) narrows the people inside the engine's query,
    so a large organisation's other experts do not crowd them out.
    Nothing with the ``database`` backend (tests of other apps), whose
    "who to ask" goes by tags alone.
    """
    if settings.SEARCH_BACKEND == "database":
        return Evidence()
    words = terms(text)
    if not words and not tags:
        return Evidence()
    _fresh()
    store = indexer.store()
    among = sorted(people) if people is not None else None
    found = store.people(words=words, tags=tags, limit=50, among=among)
    threads = []
    if words:
        similar = store.similar(
            words=words, community_ids=[community.pk], limit=limit + 1
        )
        threads = [h for h in similar if h.id != exclude][:limit]
    return Evidence(people=found, threads=threads)


def _database(words: list[str], ids: list[int], limit: int) -> list[Hit]:
    """Title matches ranked by how many words they contain."""
    from practica.conversations.models import Conversation

    match = Q()
    for w in words:
        match |= Q(title__icontains=w)
    rows = (
        Conversation.objects.filter(match, community_id__in=ids)
        .select_related("community")
        .only(
            "id",
            "kind",
            "title",
            "accepted_reply_id",
            "reply_count",
            "community__slug",
            "community__name",
        )
        .order_by("-last_activity_at")[:200]
    )
    ranked = sorted(
        rows, key=lambda c: -sum(w in c.title.lower() for w in words)
    )
    return [
        Hit(
            kind=c.kind,
            id=c.pk,
            title=c.title,
            community_slug=c.community.slug,
            community_name=c.community.name,
            solved=c.accepted_reply_id is not None,
            reply_count=c.reply_count,
        )
        for c in ranked[:limit]
    ]
