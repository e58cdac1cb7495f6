"""What gets indexed: one document per thread, artifact, community,
person, event and set of meeting notes (an occurrence's), built from the
database in batches with a fixed number of queries."""

import html
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Prefetch

from practica.accounts.models import Expertise, User
from practica.communities.models import Community
from practica.conversations.models import Comment, Conversation, Reply
from practica.events.models import ActionItem, Event, Occurrence
from practica.repertoire.models import Artifact
from practica.repertoire.models import Status as ArtifactStatus

# Documents every signed-in person may see (people) carry this community.
ORGANISATION = 0


@dataclass
class Doc:
    key: str
    type: str
    id: int
    community: int
    title: str
    body: str
    answer: str = ""
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    solved: bool = False
    replies: int = 0
    created: datetime | None = None
    updated: datetime | None = None


# A tag of sanitised HTML (nh3 quotes every attribute value); text holds
# no bare "<" (it is escaped as &lt;).
_TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")


def _plain(html_text: str) -> str:
    """The words of rendered Markdown, without its markup, so snippets
    read as text (the engine escapes them again). The stored HTML was
    sanitised when it was written, so a pattern strips its tags: a tenth
    of the cost of ``strip_tags``'s parser, which was half a rebuild."""
    return html.unescape(_TAG.sub("", html_text))


def _names(user: User | None) -> list[str]:
    if user is None:
        return []
    return [user.display_name, user.email.split("@")[0]]


def _name_words(display_name: str | None, email: str | None) -> list[str]:
    """:func:`_names` from the two columns (None: no author)."""
    if display_name is None or email is None:
        return []
    return [display_name, email.split("@")[0]]


def conversations(ids: Iterable[int]) -> dict[str, Doc | None]:
    """Threads with their answers and comments, in four queries of plain
    rows (no model instances: building them was a third of a rebuild)."""
    ids = set(ids)
    found: dict[str, Doc | None] = {f"conversation:{i}": None for i in ids}
    rows = list(
        Conversation.objects.filter(pk__in=ids, duplicate_of__isnull=True)
        .order_by()
        .values_list(
            "pk",
            "kind",
            "community_id",
            "title",
            "body_html",
            "accepted_reply_id",
            "reply_count",
            "created_at",
            "last_activity_at",
            "author__display_name",
            "author__email",
        )
    )
    live = [row[0] for row in rows]
    replies: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for conversation, pk, body in (
        Reply.objects.filter(conversation_id__in=live)
        .order_by("-score", "created_at", "id")
        .values_list("conversation_id", "pk", "body_html")
    ):
        replies[conversation].append((pk, body))
    comments: dict[int, list[str]] = defaultdict(list)
    for conversation, body in (
        Comment.objects.filter(conversation_id__in=live)
        .order_by("created_at", "id")
        .values_list("conversation_id", "body_html")
    ):
        comments[conversation].append(body)
    tags: dict[int, list[str]] = defaultdict(list)
    for conversation, slug in (
        Conversation.tags.through.objects.filter(conversation_id__in=live)
        .order_by("tag__name", "tag_id")
        .values_list("conversation_id", "tag__slug")
    ):
        tags[conversation].append(slug)
    for (
        pk,
        kind,
        community,
        title,
        body,
        accepted,
        reply_count,
        created,
        active,
        author_name,
        author_email,
    ) in rows:
        answers = replies.get(pk, [])
        best = next(
            (text for rid, text in answers if rid == accepted),
            answers[0][1] if answers else None,
        )
        found[f"conversation:{pk}"] = Doc(
            key=f"conversation:{pk}",
            type=kind,
            id=pk,
            community=community,
            title=title,
            body="\n\n".join(
                [_plain(body)]
                + [_plain(text) for _, text in answers]
                + [_plain(text) for text in comments.get(pk, [])]
            ),
            answer=_plain(best) if best is not None else "",
            tags=tags.get(pk, []),
            authors=_name_words(author_name, author_email),
            solved=accepted is not None,
            replies=reply_count,
            created=created,
            updated=active,
        )
    return found


def artifacts(ids: Iterable[int]) -> dict[str, Doc | None]:
    ids = set(ids)
    found: dict[str, Doc | None] = {f"artifact:{i}": None for i in ids}
    rows = (
        Artifact.objects.filter(pk__in=ids)
        .exclude(status=ArtifactStatus.DRAFT)
        .select_related("created_by")
        .prefetch_related("tags")
    )
    for a in rows:
        found[f"artifact:{a.pk}"] = Doc(
            key=f"artifact:{a.pk}",
            type="artifact",
            id=a.pk,
            community=a.community_id,
            title=a.title,
            body=_plain(a.body_html),
            tags=[t.slug for t in a.tags.all()],
            authors=_names(a.created_by),
            created=a.created_at,
            updated=a.updated_at,
        )
    return found


def communities(ids: Iterable[int]) -> dict[str, Doc | None]:
    ids = set(ids)
    found: dict[str, Doc | None] = {f"community:{i}": None for i in ids}
    for c in Community.objects.filter(pk__in=ids):
        found[f"community:{c.pk}"] = Doc(
            key=f"community:{c.pk}",
            type="community",
            id=c.pk,
            community=c.pk,
            title=c.name,
            body=f"{c.tagline}\n\n{_plain(c.charter_html)}",
            replies=c.member_count,
            created=c.created_at,
            updated=c.updated_at,
        )
    return found


def people(ids: Iterable[int]) -> dict[str, Doc | None]:
    ids = set(ids)
    found: dict[str, Doc | None] = {f"person:{i}": None for i in ids}
    rows = (
        User.objects.filter(pk__in=ids, is_active=True)
        .select_related("department")
        .prefetch_related(
            Prefetch(
                "expertise", queryset=Expertise.objects.select_related("skill")
            )
        )
    )
    for u in rows:
        skills = [e.skill for e in u.expertise.all()]
        found[f"person:{u.pk}"] = Doc(
            key=f"person:{u.pk}",
            type="person",
            id=u.pk,
            community=ORGANISATION,
            title=u.name,
            body="\n".join(
                [
                    u.job_title,
                    u.department.name if u.department else "",
                    ", ".join(s.name for s in skills),
                    _plain(u.introduction_html),
                ]
            ),
            tags=[s.slug for s in skills],
            authors=_names(u),
            created=u.date_joined,
            updated=u.date_joined,
        )
    return found


def events(ids: Iterable[int]) -> dict[str, Doc | None]:
    ids = set(ids)
    found: dict[str, Doc | None] = {f"event:{i}": None for i in ids}
    rows = (
        Event.objects.filter(pk__in=ids)
        .select_related("created_by")
        .prefetch_related("hosts")
    )
    for e in rows:
        hosts: list[User | None] = list(e.hosts.all()) or [e.created_by]
        found[f"event:{e.pk}"] = Doc(
            key=f"event:{e.pk}",
            type="event",
            id=e.pk,
            community=e.community_id,
            title=e.title,
            body="\n\n".join(
                part
                for part in (
                    e.get_kind_display(),
                    e.rule_text if e.rrule else "",
                    e.location,
                    _plain(e.description_html),
                    _plain(e.agenda_html),
                )
                if part
            ),
            authors=[n for h in hosts for n in _names(h)],
            created=e.created_at,
            updated=e.updated_at,
        )
    return found


def notes(ids: Iterable[int]) -> dict[str, Doc | None]:
    """An occurrence's notes (What? So what? Now what? and the action
    items); an occurrence without notes has no document."""
    ids = set(ids)
    found: dict[str, Doc | None] = {f"occurrence:{i}": None for i in ids}
    rows = (
        Occurrence.objects.filter(pk__in=ids, notes_at__isnull=False)
        .select_related("event", "notes_by")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=ActionItem.objects.only(
                    "id", "occurrence_id", "text"
                ),
            )
        )
    )
    for o in rows:
        local = o.starts_at.astimezone(o.event.zone)
        found[f"occurrence:{o.pk}"] = Doc(
            key=f"occurrence:{o.pk}",
            type="notes",
            id=o.pk,
            community=o.event.community_id,
            title=f"{o.event.title}, {local:%-d %b %Y}",
            body="\n\n".join(
                part
                for part in (
                    _plain(o.what_html),
                    _plain(o.so_what_html),
                    _plain(o.now_what_html),
                    "\n".join(a.text for a in o.actions.all()),
                )
                if part
            ),
            authors=_names(o.notes_by),
            # The meeting's day, so before:/after: and "newest" go by it.
            created=o.starts_at,
            updated=o.notes_at,
        )
    return found


BUILDERS: dict[str, Any] = {
    "conversation": conversations,
    "artifact": artifacts,
    "community": communities,
    "person": people,
    "event": events,
    "occurrence": notes,
}


def build(keys: Iterable[str]) -> dict[str, Doc | None]:
    """Documents for ``kind:id`` keys; None means "delete it"."""
    by_kind: dict[str, set[int]] = {}
    for key in keys:
        kind, _, pk = key.partition(":")
        by_kind.setdefault(kind, set()).add(int(pk))
    docs: dict[str, Doc | None] = {}
    for kind, ids in by_kind.items():
        docs.update(BUILDERS[kind](ids))
    return docs


def _sources() -> list[tuple[str, Any]]:
    return [
        (
            "conversation",
            Conversation.objects.filter(duplicate_of__isnull=True),
        ),
        ("artifact", Artifact.objects.exclude(status=ArtifactStatus.DRAFT)),
        ("community", Community.objects.all()),
        ("person", User.objects.filter(is_active=True)),
        ("event", Event.objects.all()),
        ("occurrence", Occurrence.objects.filter(notes_at__isnull=False)),
    ]


def count() -> int:
    """How many documents a full rebuild writes (one query per kind)."""
    return sum(qs.count() for _, qs in _sources())


def _split(key: str) -> tuple[int, int]:
    """A key's place in the rebuild order: its kind's rank and its id."""
    kind, _, pk = key.partition(":")
    kinds = [name for name, _ in _sources()]
    return (kinds.index(kind) if kind in kinds else len(kinds), int(pk))


def count_through(key: str) -> int:
    """How many documents come up to and including ``key`` in the
    rebuild order (for a resumed rebuild's progress bar)."""
    rank, pk = _split(key)
    total = 0
    for i, (_, qs) in enumerate(_sources()):
        if i < rank:
            total += qs.count()
        elif i == rank:
            total += qs.filter(pk__lte=pk).count()
    return total


def all_keys(after: str | None = None) -> Iterable[list[str]]:
    """Every indexable key, in batches of 500, for a full rebuild: kind
    by kind, by id; with ``after``, only the keys that follow it."""
    rank, last = _split(after) if after else (-1, 0)
    for i, (kind, qs) in enumerate(_sources()):
        if i < rank:
            continue
        if i == rank:
            qs = qs.filter(pk__gt=last)
        batch: list[str] = []
        for pk in qs.order_by("pk").values_list("pk", flat=True).iterator():
            batch.append(f"{kind}:{pk}")
            if len(batch) == 500:
                yield batch
                batch = []
        if batch:
            yield batch
