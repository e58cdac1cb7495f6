"""Every read about conversations, filtered by access."""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import (
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.http import Http404
from django.utils import timezone

from practica import access
from practica.accounts.models import Expertise, Level, User
from practica.communities import selectors as community_selectors
from practica.communities.models import (
    Community,
    Membership,
    Role,
    Status,
)
from practica.conversations.models import (
    AskRequest,
    Comment,
    Conversation,
    ConversationLink,
    Flag,
    FlagState,
    Kind,
    ListStamp,
    Reply,
    Revision,
    State,
    Tag,
    Vote,
    Worked,
)
from practica.core import cache, sql, text
from practica.core.models import Activity
from practica.core.pagination import Page, keyset, page_of
from practica.search import backends as search

SORTS = {
    "newest": ("-created_at", "-id"),
    "active": ("-last_activity_at", "-id"),
    "votes": ("-score", "-id"),
    "unanswered": ("-created_at", "-id"),
}
LIST_FIELDS = (
    "id", "community_id", "kind", "author_id", "title", "tag_names",
    "state", "locked", "accepted_reply_id", "score", "reply_count",
    "view_count", "last_activity_at", "created_at", "version",
)  # fmt: skip


def _list_qs(qs: QuerySet[Conversation]) -> QuerySet[Conversation]:
    return qs.select_related("author", "community").only(
        *LIST_FIELDS,
        "author__display_name",
        "author__email",
        "community__name",
        "community__slug",
    )


STATUSES = {
    "solved": Q(accepted_reply__isnull=False),
    "unsolved": Q(
        kind=Kind.QUESTION, accepted_reply__isnull=True, state=State.OPEN
    ),
    "open": Q(state=State.OPEN),
    "closed": ~Q(state=State.OPEN),
}


def _in_communities(
    communities: QuerySet[Community],
) -> QuerySet[Conversation]:
    """Conversations in any of ``communities``, for lists across them.
    ``community_id + 0`` keeps SQLite from reading every row of those
    communities through the community_id index and sorting them all: it
    walks the sort's own index instead and stops after a page."""
    return Conversation.objects.alias(
        in_community=F("community_id") + 0
    ).filter(in_community__in=communities.values("pk"))


def _filtered(
    qs: QuerySet[Conversation],
    *,
    sort: str,
    tag: str,
    kind: str,
    status: str,
    author: User | None = None,
) -> QuerySet[Conversation]:
    if sort == "unanswered":
        qs = qs.filter(kind=Kind.QUESTION, reply_count=0, state=State.OPEN)
    if tag:
        qs = qs.filter(tags__slug=tag)
    if kind:
        qs = qs.filter(kind=kind)
    if author is not None:
        qs = qs.filter(author=author)
    if status:
        qs = qs.filter(STATUSES[status])
    return qs


# The first page of stamps, compiled once per shape (see core.sql): in one
# community, or every public one for a signed-out visitor.
_FIRST_STAMPS: dict[tuple[Any, ...], sql.Prepared] = {}


def _first_stamps(
    *,
    community: Community | None,
    sort: str,
    tag: str,
    kind: str,
    status: str,
    size: int,
) -> list[Any]:
    shape = (community is not None, sort, bool(tag), bool(kind), status, size)
    prepared = _FIRST_STAMPS.get(shape)
    if prepared is None:

        def build(**given: Any) -> QuerySet[Conversation]:
            if community is not None:
                qs = Conversation.objects.filter(
                    community_id=given["community"]
                )
            else:
                qs = _in_communities(access.visible_communities(None))
            qs = _filtered(
                qs,
                sort=sort,
                tag=given.get("tag", ""),
                kind=given.get("kind", ""),
                status=status,
            )
            return _stamp_qs(qs).order_by(*SORTS[sort])[: size + 1]

        kinds = {
            name: kind_
            for name, kind_, used in (
                ("community", int, community is not None),
                ("tag", str, bool(tag)),
                ("kind", str, bool(kind)),
            )
            if used
        }
        prepared = _FIRST_STAMPS.setdefault(
            shape, sql.Prepared(build, **kinds)
        )
    given: dict[str, Any] = {}
    if community is not None:
        given["community"] = community.pk
    if tag:
        given["tag"] = tag
    if kind:
        given["kind"] = kind
    return prepared(**given)


def conversation_list(
    *,
    viewer: Any,
    community: Community | None = None,
    sort: str = "active",
    tag: str = "",
    kind: str = "",
    status: str = "",
    author: User | None = None,
    cursor: str | None = None,
    size: int | None = None,
    stamps: bool = False,
) -> Page[Conversation]:
    """Conversations in one community (or every visible one), sorted and
    filtered, a page at a time. With ``stamps``, only what tells whether a
    row's cached HTML is current (see ``_stamp_qs``); ``conversation_rows``
    loads the rest for the rows that are not.

    Refuses an unknown sort or status with the choices.
    """
    if sort not in SORTS:
        raise ValidationError(
            {"sort": f"Sort by one of {', '.join(SORTS)}; got '{sort}'."}
        )
    if status and status not in STATUSES:
        raise ValidationError(
            {
                "status": f"Status is one of {', '.join(STATUSES)}; got "
                f"'{status}'."
            }
        )
    size = size or settings.PRACTICA_PAGE_SIZE
    if community is not None:
        access.require(viewer, "view", community)
    visitor = not getattr(viewer, "is_authenticated", False)
    if (
        stamps
        and not cursor
        and author is None
        and (community is not None or visitor)
    ):
        # The hot case: nothing in the query depends on the viewer.
        rows = _first_stamps(
            community=community,
            sort=sort,
            tag=tag,
            kind=kind,
            status=status,
            size=size,
        )
        return page_of(rows, order=SORTS[sort], size=size)
    if community is not None:
        qs = Conversation.objects.filter(community=community)
    else:
        qs = _in_communities(access.visible_communities(viewer))
    qs = _filtered(
        qs, sort=sort, tag=tag, kind=kind, status=status, author=author
    )
    return keyset(
        _stamp_qs(qs) if stamps else _list_qs(qs),
        order=SORTS[sort],
        cursor=cursor,
        size=size,
    )


STAMP_FIELDS = (
    "id", "community_id", "version", "view_count", "score",
    "last_activity_at", "created_at",
)  # fmt: skip


def _stamp_qs(qs: QuerySet[Conversation]) -> QuerySet[Conversation]:
    """A list row's identity and versions (and the sort keys), with its
    author's and community's names, as named tuples rather than models:
    a fifth of the cost of the full rows (no model built)."""
    return cast(
        "QuerySet[Conversation]",
        qs.annotate(
            author_display=F("author__display_name"),
            author_email=F("author__email"),
            community_slug=F("community__slug"),
            community_name=F("community__name"),
        ).values_list(
            *STAMP_FIELDS,
            "author_display",
            "author_email",
            "community_slug",
            "community_name",
            named=True,
        ),
    )


def conversation_rows(
    *, viewer: Any, ids: list[int]
) -> dict[int, Conversation]:
    """Full list rows (as conversation_list gives them) by id, only in
    communities the viewer may see."""
    qs = Conversation.objects.filter(
        pk__in=ids, community__in=access.visible_communities(viewer)
    )
    return {c.pk: c for c in _list_qs(qs)}


def conversation_get(*, viewer: Any, pk: int) -> Conversation:
    """One conversation the viewer may see (404 otherwise)."""
    c = (
        Conversation.objects.select_related(
            "community", "author", "author__department"
        )
        .filter(pk=pk)
        .first()
    )
    if c is None or not access.can(viewer, "view", c.community):
        raise Http404("No such conversation.")
    return c


HEAD_FIELDS = sql.in_model_order(
    Conversation,
    (
        "id", "created_at", "community_id", "title", "accepted_reply_id",
        "view_count", "version",
    ),
)  # fmt: skip
HEAD_COMMUNITY = sql.in_model_order(
    Community, ("id", "slug", "name", "visibility", "version", "created_at")
)

_head = sql.Prepared(
    lambda pk: (
        Conversation.objects.filter(pk=pk)
        .order_by()
        .values_list(
            *HEAD_FIELDS, *(f"community__{name}" for name in HEAD_COMMUNITY)
        )[:1]
    ),
    pk=int,
)


def conversation_head(*, viewer: Any, pk: int) -> Conversation:
    """Just enough of a conversation the viewer may see (404 otherwise)
    to find its cached page: id, version, title, counters, community
    (its name, slug and version). A query compiled once per process (a
    tenth of conversation_get's cost); the question page's reader path
    only."""
    found = _head(pk=pk)
    if not found:
        raise Http404("No such conversation.")
    row, alias = found[0], _head.alias
    c = Conversation.from_db(alias, HEAD_FIELDS, row[: len(HEAD_FIELDS)])
    community = Community.from_db(
        alias, HEAD_COMMUNITY, row[len(HEAD_FIELDS) :]
    )
    Conversation.community.field.set_cached_value(c, community)
    if not access.can(viewer, "view", community):
        raise Http404("No such conversation.")
    return c


def reply_get(*, viewer: Any, pk: int) -> Reply:
    r = (
        Reply.objects.select_related(
            "conversation__community", "author", "author__department"
        )
        .filter(pk=pk)
        .first()
    )
    if r is None or not access.can(viewer, "view", r.conversation.community):
        raise Http404("No such answer.")
    return r


@dataclass
class ReplyView:
    reply: Reply
    comments: list[Comment]
    my_vote: int
    worked: bool
    accepted: bool


@dataclass
class ConversationPage:
    conversation: Conversation
    replies: list[ReplyView]
    comments: list[Comment]
    tags: list[Tag]
    my_vote: int
    may_participate: bool
    may_moderate: bool
    may_edit: bool
    may_accept: bool
    duplicate_of: Conversation | None = None
    linked: list[Conversation] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


LINKED_MAX = 20


def linked_to(c: Conversation) -> list[Conversation]:
    """The conversations linked with ``c`` either way, in its own
    community (imports link within one site; so whoever may read ``c``
    may read them, and a cached page holds nothing more private than
    itself): the highest scored first, at most LINKED_MAX. One query."""
    links = ConversationLink.objects
    return list(
        Conversation.objects.filter(community_id=c.community_id)
        .filter(
            Q(pk__in=links.filter(source=c).values("target"))
            | Q(pk__in=links.filter(target=c).values("source"))
        )
        .exclude(pk=c.pk)
        .only("id", "title", "state", "reply_count", "accepted_reply_id")
        .order_by("-score", "-id")[:LINKED_MAX]
    )


def linked(*, viewer: Any, conversation: Conversation) -> list[Conversation]:
    """What the question page lists as "Linked" (Stack Exchange's linked
    questions and duplicates, both ways). Refuses (404) a conversation the
    viewer may not see."""
    c = conversation_get(viewer=viewer, pk=conversation.pk)
    return linked_to(c)


def conversation_page(*, viewer: Any, pk: int) -> ConversationPage:
    """A conversation with its answers (accepted first, then by votes),
    comments, tags and the viewer's own votes and marks, in a fixed number
    of queries however many answers, comments and votes it has."""
    c = conversation_get(viewer=viewer, pk=pk)
    replies = list(
        Reply.objects.filter(conversation=c)
        .select_related("author", "author__department")
        .order_by("-score", "created_at", "id")
    )
    comments = list(
        Comment.objects.filter(conversation=c).select_related("author")
    )
    by_reply: dict[int | None, list[Comment]] = defaultdict(list)
    for comment in comments:
        by_reply[comment.reply_id].append(comment)
    votes: dict[int | None, int] = {}
    worked: set[int] = set()
    signed_in = getattr(viewer, "is_authenticated", False)
    if signed_in:
        for v in Vote.objects.filter(
            Q(conversation=c) | Q(reply__conversation=c), user=viewer
        ):
            votes[v.reply_id] = v.value
        worked = set(
            Worked.objects.filter(
                user=viewer, reply__conversation=c
            ).values_list("reply_id", flat=True)
        )
    views = [
        ReplyView(
            reply=r,
            comments=by_reply.get(r.pk, []),
            my_vote=votes.get(r.pk, 0),
            worked=r.pk in worked,
            accepted=r.pk == c.accepted_reply_id,
        )
        for r in replies
    ]
    views.sort(key=lambda v: not v.accepted)  # stable: accepted first
    participate = access.can(viewer, "participate", c.community)
    moderate = access.can(viewer, "moderate", c.community)
    mine = signed_in and viewer.pk == c.author_id
    # Cached on the conversation: who_to_ask and from_practice read the
    # tags again and then cost no query.
    prefetch_related_objects([c], "tags")
    duplicate_of = None
    if c.duplicate_of_id:
        duplicate_of = Conversation.objects.only("id", "title").get(
            pk=c.duplicate_of_id
        )
    return ConversationPage(
        conversation=c,
        replies=views,
        comments=by_reply.get(None, []),
        tags=list(c.tags.all()),
        my_vote=votes.get(None, 0),
        may_participate=participate,
        may_moderate=moderate,
        may_edit=moderate or (mine and participate),
        may_accept=c.kind == Kind.QUESTION
        and (moderate or (mine and participate)),
        duplicate_of=duplicate_of,
    )


_list_head = sql.Prepared(
    lambda slug: (
        Community.objects.filter(slug=slug)
        .order_by()
        .annotate(
            list_stamp=Subquery(
                ListStamp.objects.filter(community_id=OuterRef("pk")).values(
                    "n"
                )[:1]
            ),
        )
        .values_list(*community_selectors.HEAD_FIELDS, "list_stamp")[:1]
    ),
    slug=str,
)


def list_head(*, viewer: Any, slug: str) -> tuple[Community, tuple[int, ...]]:
    """community_head (404 for a community the viewer may not see) and a
    stamp of everything its conversation lists show, in one query
    compiled once: the community's id, creation and version, and its
    ListStamp, which every change to its conversations, their authors'
    names and its tags (the list's filter) moves."""
    found = _list_head(slug=slug)
    row = found[0] if found else None
    community = community_selectors.head_from(
        row, alias=_list_head.alias, viewer=viewer, action="view"
    )
    return community, (
        community.pk,
        cache.stamp(community.created_at),
        community.version,
        found[0][-1] or 0,
    )


_public_heads = sql.Prepared(
    lambda: (
        access.visible_communities(None)
        .order_by("pk")
        .annotate(
            list_stamp=Subquery(
                ListStamp.objects.filter(community_id=OuterRef("pk")).values(
                    "n"
                )[:1]
            ),
        )
        .values_list("pk", "created_at", "version", "list_stamp")
    )
)


def lists_head() -> tuple[tuple[int, ...], ...]:
    """For the lists across communities a signed-out visitor sees: each
    community they may see (its id, creation and version: a rename, a
    new visibility) with its ListStamp, in one query compiled once. A
    community made public or private, added or deleted changes the set."""
    return tuple(
        (pk, cache.stamp(created), version, n or 0)
        for pk, created, version, n in _public_heads()
    )


_tag_choices = sql.Prepared(
    lambda community: (
        Tag.objects.filter(community_id=community)
        .order_by("-use_count", "name")
        .values_list("slug", "name")
    ),
    community=int,
)


def tag_choices(*, viewer: Any, community: Community) -> list[tuple[str, str]]:
    """(slug, name) of a community's tags, most used first, as tag_list
    orders them: the list filter's choices (a query compiled once)."""
    access.require(viewer, "view", community)
    return _tag_choices(community=community.pk)


def revisions(
    *, viewer: Any, conversation: Conversation, reply: Reply | None = None
) -> list[Revision]:
    """The edit history of a question or an answer, oldest first."""
    access.require(viewer, "view", conversation.community)
    return list(
        Revision.objects.filter(
            conversation=conversation, reply=reply
        ).select_related("author")
    )


def tag_list(
    *, viewer: Any, community: Community, include_proposed: bool = True
) -> QuerySet[Tag]:
    """A community's tags, most used first."""
    access.require(viewer, "view", community)
    qs = Tag.objects.filter(community=community).select_related("skill")
    if not include_proposed:
        qs = qs.filter(approved=True)
    return qs.order_by("-use_count", "name")


def flag_queue(*, viewer: Any, community: Community) -> QuerySet[Flag]:
    """Open flags in a community, oldest first (coordinators)."""
    access.require(viewer, "moderate", community)
    return Flag.objects.filter(
        conversation__community=community, state=FlagState.OPEN
    ).select_related("conversation", "reply", "flagged_by")


def _my_skills(viewer: Any) -> tuple[set[int], set[str]]:
    rows = Expertise.objects.filter(user=viewer).values_list(
        "skill_id", "skill__slug"
    )
    return {r[0] for r in rows}, {r[1] for r in rows}


def questions_for_me(
    *, viewer: Any, cursor: str | None = None, size: int | None = None
) -> Page[Conversation]:
    """Open, unsolved questions in my communities whose tags match my
    expertise or that someone asked me directly, newest first; never my
    own."""
    ids = [
        cid
        for cid, m in access.memberships(viewer).items()
        if m.status == Status.ACTIVE
    ]
    skill_ids, slugs = _my_skills(viewer)
    qs = (
        Conversation.objects.filter(
            community_id__in=ids,
            kind=Kind.QUESTION,
            state=State.OPEN,
            accepted_reply__isnull=True,
        )
        .filter(
            Q(tags__skill_id__in=skill_ids)
            | Q(tags__slug__in=slugs)
            | Q(ask_requests__asked=viewer)
        )
        .exclude(author=viewer)
        .distinct()
    )
    return keyset(
        _list_qs(qs),
        order=SORTS["newest"],
        cursor=cursor,
        size=size or settings.PRACTICA_PAGE_SIZE,
    )


@dataclass
class Suggestion:
    person: User
    score: float
    reasons: list[str]


HALF_LIFE_DAYS = 180.0


def who_to_ask(
    *, viewer: Any, conversation: Conversation, limit: int = 5
) -> list[Suggestion]:
    """Up to ``limit`` members likely to know, each with the reasons.

    Ranks declared expertise in the question's tags (by level, verified
    counts more), endorsements, accepted answers in the same tags (halved
    every 180 days) and availability to help. With a search engine
    (``SEARCH_BACKEND`` tantivy or postgres) the same engine as the
    search page also finds people by expertise (profiles whose skills,
    job title or introduction match the question's words) and by the
    answers they gave on similar questions of this community (accepted
    or voted up). Never the asker, only active members of the
    community. Four queries with the ``database`` backend, at most
    seven (and the engine) otherwise.
    """
    access.require(viewer, "view", conversation.community)
    tags = list(conversation.tags.all())
    skill_ids = {t.skill_id for t in tags if t.skill_id}
    slugs = {t.slug for t in tags}
    if not tags and settings.SEARCH_BACKEND == "database":
        return []  # by tags alone (see search.backends.evidence)
    members = set(
        Membership.objects.filter(
            community_id=conversation.community_id, status=Status.ACTIVE
        )
        .exclude(user=conversation.author)
        .values_list("user_id", flat=True)
    )
    about = " ".join([conversation.title, *(t.name for t in tags)])
    known = search.evidence(
        text=about,
        tags=sorted(slugs),
        community=conversation.community,
        people=members,
        exclude=conversation.pk,
    )
    profiles, threads = known.people, known.threads
    if not tags and not profiles and not threads:
        return []
    matched = {m.id: m for m in profiles if m.id in members}
    score: dict[int, float] = defaultdict(float)
    reasons: dict[int, list[str]] = defaultdict(list)
    for e in (
        Expertise.objects.filter(user_id__in=members)
        .filter(
            Q(skill_id__in=skill_ids)
            | Q(skill__slug__in=slugs)
            | Q(user_id__in=matched)
        )
        .select_related("skill")
    ):
        on_topic = e.skill_id in skill_ids or e.skill.slug in slugs
        if not on_topic and e.user_id in matched:
            # The question's words name this skill (no tag needed).
            named = {w.lower() for w in matched[e.user_id].words}
            on_topic = bool(named & set(e.skill.name.lower().split()))
        if not on_topic:
            continue
        score[e.user_id] += e.level * (1.5 if e.is_verified else 1.0)
        score[e.user_id] += math.log1p(e.endorsement_count)
        words = f"{Level(e.level).label.lower()} in {e.skill.name}"
        if e.years:
            words += f", {e.years} years"
        if e.is_verified:
            words += ", verified"
        if e.endorsement_count:
            words += f", endorsed by {e.endorsement_count}"
        reasons[e.user_id].append(words)
    for uid, m in matched.items():
        if uid not in score and m.words:
            # A profile that speaks of it, without a declared skill.
            score[uid] += 1.0
            reasons[uid].append(
                "profile mentions " + ", ".join(m.words[:3]).lower()
            )
    now = timezone.now()
    since = now - timedelta(days=3 * 365)
    # One row per (accepted answer, matching tag): the tag names say what
    # the answers were about, not what the new question is about.
    answered: dict[int, dict[int, Any]] = defaultdict(dict)
    answered_tags: dict[int, set[str]] = defaultdict(set)
    for reply_id, author_id, created, tag_name in (
        (
            Reply.objects.filter(
                conversation__community_id=conversation.community_id,
                conversation__tags__slug__in=slugs,
                author_id__in=members,
                created_at__gte=since,
            )
            .filter(conversation__accepted_reply=F("pk"))
            .exclude(conversation=conversation)
            .values_list(
                "pk", "author_id", "created_at", "conversation__tags__name"
            )
        )
        if slugs
        else []
    ):
        answered[author_id][reply_id] = created
        answered_tags[author_id].add(tag_name)
    for author_id, replies in answered.items():
        for created in replies.values():
            age = (now - created).total_seconds() / 86400
            score[author_id] += 3 * 0.5 ** (age / HALF_LIFE_DAYS)
        n = len(replies)
        reasons[author_id].append(
            f"{n} accepted answer{'s' if n > 1 else ''} on "
            + ", ".join(sorted(answered_tags[author_id]))
        )
    _similar_answers(threads, members, answered, since, now, score, reasons)
    if not score:
        return []
    people = {
        u.pk: u
        for u in User.objects.filter(
            pk__in=score, is_active=True
        ).select_related("department")
    }
    for uid, person in people.items():
        if person.available_to_help:
            score[uid] *= 1.25
            reasons[uid].append("available to help")
    ranked = sorted(
        (uid for uid in score if uid in people),
        key=lambda uid: (-score[uid], people[uid].name),
    )
    return [
        Suggestion(
            person=people[uid],
            score=round(score[uid], 2),
            reasons=reasons[uid],
        )
        for uid in ranked[:limit]
    ]


def _similar_answers(
    threads: list[Any],
    members: set[int],
    counted: dict[int, dict[int, Any]],
    since: Any,
    now: Any,
    score: dict[int, float],
    reasons: dict[int, list[str]],
) -> None:
    """Weigh the answers members gave on similar questions (found by the
    search engine): accepted ones as much as an accepted answer in the
    same tags, voted-up ones a third of that; each halved every 180
    days. Answers already counted by tag are not counted twice."""
    if not threads:
        return
    titles = {h.id: h.title for h in threads}
    already = {pk for replies in counted.values() for pk in replies}
    given: dict[int, list[tuple[bool, str]]] = defaultdict(list)
    for reply_id, author_id, created, conversation_id, accepted_id in (
        Reply.objects.filter(
            conversation_id__in=titles,
            author_id__in=members,
            created_at__gte=since,
        )
        .filter(Q(conversation__accepted_reply=F("pk")) | Q(score__gt=0))
        .values_list(
            "pk",
            "author_id",
            "created_at",
            "conversation_id",
            "conversation__accepted_reply_id",
        )
    ):
        if reply_id in already:
            continue
        accepted = accepted_id == reply_id
        age = (now - created).total_seconds() / 86400
        score[author_id] += (3 if accepted else 1) * 0.5 ** (
            age / HALF_LIFE_DAYS
        )
        given[author_id].append((accepted, titles[conversation_id]))
    for author_id, answers in given.items():
        answers.sort(key=lambda a: not a[0])  # accepted ones first
        accepted, title = answers[0]
        if len(answers) == 1:
            what = "accepted answer" if accepted else "answer"
            reasons[author_id].append(
                f"{what} on a similar question: \u201c{title}\u201d"
            )
        else:
            reasons[author_id].append(
                f"answered {len(answers)} similar questions, such as "
                f"\u201c{title}\u201d"
            )


# --- for the conversation pages -------------------------------------------


def conversation_for_edit(*, viewer: Any, pk: int) -> Conversation:
    """A conversation the viewer may edit: its author (while a member) or
    a coordinator. 404 when unseen, PermissionDenied otherwise."""
    c = conversation_get(viewer=viewer, pk=pk)
    _require_editor(viewer, c.author_id, c.community)
    return c


def reply_for_edit(*, viewer: Any, pk: int) -> Reply:
    """An answer the viewer may edit (same rule as the question)."""
    r = reply_get(viewer=viewer, pk=pk)
    _require_editor(viewer, r.author_id, r.conversation.community)
    return r


def _require_editor(
    viewer: Any, author_id: int | None, community: Community
) -> None:
    mine = getattr(viewer, "pk", None) == author_id
    if mine and access.can(viewer, "participate", community):
        return
    if access.can(viewer, "moderate", community):
        return
    raise PermissionDenied("Only the author or a coordinator can edit this.")


def conversation_for_moderation(*, viewer: Any, pk: int) -> Conversation:
    """A conversation the viewer coordinates (404 when unseen)."""
    c = conversation_get(viewer=viewer, pk=pk)
    access.require(viewer, "moderate", c.community)
    return c


def move_targets(
    *, viewer: Any, conversation: Conversation
) -> list[Community]:
    """The other communities the viewer coordinates, to move a
    conversation into."""
    ids = [
        cid
        for cid, m in access.memberships(viewer).items()
        if m.status == Status.ACTIVE and m.role == Role.COORDINATOR
    ]
    qs = (
        Community.objects.all()
        if getattr(viewer, "is_superuser", False)
        else Community.objects.filter(pk__in=ids)
    )
    return list(
        qs.exclude(pk=conversation.community_id)
        .only("id", "name", "slug")
        .order_by("name")
    )


MODERATION_VERBS = (
    "conversation.closed",
    "conversation.reopened",
    "conversation.locked",
    "conversation.unlocked",
    "conversation.moved",
    "conversation.merged",
)


def moderation_note(
    *, viewer: Any, conversation: Conversation
) -> Activity | None:
    """The latest coordinator action on a conversation (close, lock, move,
    merge, reopen), with who did it, or None. One query."""
    access.require(viewer, "view", conversation.community)
    return (
        Activity.objects.filter(
            target_type__app_label="conversations",
            target_type__model="conversation",
            target_id=conversation.pk,
            verb__in=MODERATION_VERBS,
        )
        .select_related("actor")
        .order_by("-id")
        .first()
    )


def asked_people(*, viewer: Any, conversation: Conversation) -> set[int]:
    """Ids of the people already asked directly about a conversation."""
    access.require(viewer, "view", conversation.community)
    return set(
        AskRequest.objects.filter(conversation=conversation).values_list(
            "asked_id", flat=True
        )
    )


@dataclass
class RevisionView:
    revision: Revision
    title_diff: list[tuple[str, str]]
    body_diff: list[tuple[str, str]]
    first: bool


def revision_history(
    *, viewer: Any, conversation: Conversation, reply: Reply | None = None
) -> list[RevisionView]:
    """Each revision of a question or an answer with the line changes
    from the one before, newest first. Two queries."""
    rows = revisions(viewer=viewer, conversation=conversation, reply=reply)
    views: list[RevisionView] = []
    before: Revision | None = None
    for rev in rows:
        views.append(
            RevisionView(
                revision=rev,
                title_diff=text.diff_lines(
                    before.title if before else "", rev.title
                )
                if rev.title or (before and before.title)
                else [],
                body_diff=text.diff_lines(
                    before.body if before else "", rev.body
                ),
                first=before is None,
            )
        )
        before = rev
    views.reverse()
    return views


def flag_get(*, viewer: Any, pk: int) -> Flag:
    """One flag, for a coordinator of its community (404 when unseen)."""
    f = (
        Flag.objects.select_related("conversation__community")
        .filter(pk=pk)
        .first()
    )
    if f is None or not access.can(viewer, "view", f.conversation.community):
        raise Http404("No such flag.")
    access.require(viewer, "moderate", f.conversation.community)
    return f


# --- for the API ----------------------------------------------------------


def reply_view(*, viewer: Any, pk: int) -> ReplyView:
    """One answer with its comments, the viewer's vote and "worked" mark,
    in a fixed number of queries (404 when unseen)."""
    r = reply_get(viewer=viewer, pk=pk)
    comments = list(Comment.objects.filter(reply=r).select_related("author"))
    my_vote, worked = 0, False
    if getattr(viewer, "is_authenticated", False):
        my_vote = (
            Vote.objects.filter(user=viewer, reply=r)
            .values_list("value", flat=True)
            .first()
        ) or 0
        worked = Worked.objects.filter(user=viewer, reply=r).exists()
    return ReplyView(
        reply=r,
        comments=comments,
        my_vote=my_vote,
        worked=worked,
        accepted=r.conversation.accepted_reply_id == r.pk,
    )


@dataclass
class RevisionDiff:
    old: Revision
    new: Revision
    title: list[tuple[str, str]]
    body: list[tuple[str, str]]


def revision_diff(
    *,
    viewer: Any,
    conversation: Conversation,
    reply: Reply | None = None,
    from_number: int | None = None,
    to_number: int | None = None,
) -> RevisionDiff:
    """What changed between two revisions of a question or an answer,
    line by line; ``to`` defaults to the latest, ``from`` to the one
    before ``to``.

    Refuses revision numbers that do not exist, naming from or to.
    """
    rows = {
        r.number: r
        for r in revisions(
            viewer=viewer, conversation=conversation, reply=reply
        )
    }
    latest = max(rows, default=0)
    new_n = latest if to_number is None else to_number
    old_n = max(new_n - 1, 1) if from_number is None else from_number
    errors = {
        name: f"There is no revision {n}: this post has revisions 1 to "
        f"{latest}."
        for name, n in (("from", old_n), ("to", new_n))
        if n not in rows
    }
    if errors:
        raise ValidationError(errors)
    old, new = rows[old_n], rows[new_n]
    return RevisionDiff(
        old=old,
        new=new,
        title=text.diff_lines(old.title, new.title),
        body=text.diff_lines(old.body, new.body),
    )


def tag_get(*, viewer: Any, pk: int) -> Tag:
    """One tag of a community the viewer may see (404 otherwise)."""
    t = Tag.objects.select_related("community", "skill").filter(pk=pk).first()
    if t is None or not access.can(viewer, "view", t.community):
        raise Http404("No such tag.")
    return t
