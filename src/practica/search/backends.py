"""The search interface and its first backend.

Callers use :func:`query` and never a backend directly, so the embedded
tantivy engine, PostgreSQL full-text search or a distributed engine can
replace the database backend here without touching them. Results are
always filtered by ``access``: a backend is given the ids of the
communities the viewer may see.
"""

import re
from dataclasses import dataclass
from typing import Any, Protocol

from django.db.models import Q

from practica import access

_STOP_WORDS = (
    "a an and are as at be but by can do does for from how i if in is it "
    "my no not of on or our so that the their there this to was we what "
    "when where which who why will with you your"
)
STOP = frozenset(_STOP_WORDS.split())
WORD = re.compile(r"[\w-]{3,}")


@dataclass(frozen=True)
class Hit:
    kind: str  # "question" or "discussion"
    id: int
    title: str
    community_slug: str
    community_name: str
    solved: bool
    reply_count: int


class Backend(Protocol):
    def search(
        self, *, text: str, community_ids: list[int], limit: int
    ) -> list[Hit]: ...


def terms(text: str) -> list[str]:
    """The words worth matching, longest first, at most six."""
    words = {w.lower() for w in WORD.findall(text)} - STOP
    return sorted(words, key=lambda w: (-len(w), w))[:6]


class DatabaseBackend:
    """Title matches ranked by how many query words they contain.

    Good enough for "similar questions" on small sites; the search issue
    replaces it with a real engine behind the same interface.
    """

    def search(
        self, *, text: str, community_ids: list[int], limit: int
    ) -> list[Hit]:
        from practica.conversations.models import Conversation

        words = terms(text)
        if not words or not community_ids:
            return []
        match = Q()
        for w in words:
            match |= Q(title__icontains=w)
        rows = (
            Conversation.objects.filter(match, community_id__in=community_ids)
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


BACKEND: Backend = DatabaseBackend()


def query(
    *, viewer: Any, text: str, community: Any = None, limit: int = 10
) -> list[Hit]:
    """Conversations matching ``text`` that the viewer may see."""
    visible = access.visible_communities(viewer)
    if community is not None:
        visible = visible.filter(pk=community.pk)
    ids = list(visible.values_list("pk", flat=True))
    return BACKEND.search(text=text, community_ids=ids, limit=limit)
