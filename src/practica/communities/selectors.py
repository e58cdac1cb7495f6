"""Every read about communities, filtered by access."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import (
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.http import Http404

from practica import access
from practica.accounts.models import Department, Expertise
from practica.communities.models import (
    Community,
    Invitation,
    Membership,
    Role,
    Status,
)
from practica.core import sql
from practica.core.models import Activity
from practica.core.pagination import Page, keyset

# What a community's front page may tell anyone who can see it; decisions
# about people (declines, removals), flags and direct asks stay private.
PUBLIC_VERBS = (
    "community.created", "community.updated", "membership.joined",
    "membership.approved", "membership.left", "membership.role_changed",
    "invitation.accepted", "question.created", "discussion.created",
    "reply.created", "reply.accepted", "conversation.closed",
    "conversation.reopened", "conversation.merged", "conversation.moved",
)  # fmt: skip


def community_list(
    *,
    viewer: Any,
    kind: str = "",
    department: str = "",
    mine: bool = False,
    q: str = "",
    cursor: str | None = None,
    size: int | None = None,
) -> Page[Community]:
    """The directory: visible communities, filtered, a page at a time."""
    qs = access.visible_communities(viewer).prefetch_related("departments")
    if kind:
        qs = qs.filter(kind=kind)
    if department:
        qs = qs.filter(departments__slug=department)
    if mine:
        ids = [
            cid
            for cid, m in access.memberships(viewer).items()
            if m.status in (Status.ACTIVE, Status.PENDING)
        ]
        qs = qs.filter(pk__in=ids)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(tagline__icontains=q))
    return keyset(
        qs.distinct(),
        order=("name", "id"),
        cursor=cursor,
        size=size or settings.PRACTICA_PAGE_SIZE,
    )


def _directory_qs(viewer: Any, size: int) -> QuerySet[Community, Any]:
    return (
        access.visible_communities(viewer)
        .order_by("name", "id")
        .values_list("id", "version", "created_at")[: size + 1]
    )


# A signed-out visitor's directory, compiled once per page size (see
# core.sql): their access filter is a constant.
_VISITOR_DIRECTORY: dict[int, sql.Prepared] = {}


def directory_stamps(*, viewer: Any, size: int) -> list[tuple[Any, ...]]:
    """(id, version, created_at) of the directory's first ``size + 1``
    communities, as community_list orders them: what tells whether a
    cached front page listing them is current (one small query)."""
    if getattr(viewer, "is_authenticated", False):
        return list(_directory_qs(viewer, size))
    prepared = _VISITOR_DIRECTORY.get(size)
    if prepared is None:
        prepared = _VISITOR_DIRECTORY.setdefault(
            size, sql.Prepared(lambda: _directory_qs(None, size))
        )
    return prepared()


def community_get(
    *, viewer: Any, slug: str, action: str = "view"
) -> Community:
    """One community the viewer may see (404 otherwise: a private
    community's existence is not revealed)."""
    community = Community.objects.filter(slug=slug).first()
    if community is None or not access.can(viewer, "view", community):
        raise Http404("No such community.")
    access.require(viewer, action, community)
    return community


HEAD_FIELDS = sql.in_model_order(
    Community,
    (
        "id", "created_at", "slug", "name", "tagline", "visibility",
        "policy", "kind", "is_formal", "members_propose_tags",
        "member_count", "pending_count", "version",
    ),
)  # fmt: skip

_head = sql.Prepared(
    lambda slug: (
        Community.objects.filter(slug=slug)
        .order_by()
        .values_list(*HEAD_FIELDS)[:1]
    ),
    slug=str,
)


def head_from(
    row: tuple[Any, ...] | None, *, alias: str, viewer: Any, action: str
) -> Community:
    """The community of a row that starts with HEAD_FIELDS, if the viewer
    may see it (404 otherwise) and do ``action`` there."""
    if row is None:
        raise Http404("No such community.")
    community = Community.from_db(alias, HEAD_FIELDS, row[: len(HEAD_FIELDS)])
    if not access.can(viewer, "view", community):
        raise Http404("No such community.")
    access.require(viewer, action, community)
    return community


def community_head(
    *, viewer: Any, slug: str, action: str = "view"
) -> Community:
    """community_get without the charter and settings: what a page's
    header, its tabs and the access rules read, in a query compiled once
    per process (a tenth of the cost). For the hot pages; anything else
    uses community_get."""
    found = _head(slug=slug)
    return head_from(
        found[0] if found else None,
        alias=_head.alias,
        viewer=viewer,
        action=action,
    )


def _newest_public(outer: str) -> Subquery:
    return Subquery(
        Activity.objects.filter(
            community_id=OuterRef(outer), verb__in=PUBLIC_VERBS
        )
        .order_by("-id")
        .values("id")[:1]
    )


_front_head = sql.Prepared(
    lambda slug: (
        Community.objects.filter(slug=slug)
        .order_by()
        .annotate(newest=_newest_public("pk"))
        .values_list(*HEAD_FIELDS, "newest")[:1]
    ),
    slug=str,
)


def community_front_head(*, viewer: Any, slug: str) -> tuple[Community, int]:
    """community_head and the id of the newest entry the community page
    lists (0 if none), in one query compiled once: what tells whether a
    cached community page is current."""
    found = _front_head(slug=slug)
    row = found[0] if found else None
    community = head_from(
        row, alias=_front_head.alias, viewer=viewer, action="view"
    )
    return community, (row[-1] if row else 0) or 0


@dataclass
class CommunityPage:
    community: Community
    coordinators: list[Membership]
    recent: list[Activity]
    departments: list[Department]
    membership: Membership | None


def community_page(*, viewer: Any, slug: str) -> CommunityPage:
    """The community's front page in a fixed number of queries."""
    community = community_get(viewer=viewer, slug=slug)
    coordinators = list(
        Membership.objects.filter(
            community=community, status=Status.ACTIVE, role=Role.COORDINATOR
        )
        .select_related("user", "user__department")
        .order_by("joined_at")
    )
    recent = list(
        Activity.objects.filter(community_id=community.pk)
        .filter(verb__in=PUBLIC_VERBS)
        .select_related("actor")[:10]
    )
    return CommunityPage(
        community=community,
        coordinators=coordinators,
        recent=recent,
        departments=list(community.departments.all()),
        membership=access.memberships(viewer).get(community.pk),
    )


def member_list(
    *,
    viewer: Any,
    community: Community,
    role: str = "",
    skill: str = "",
    cursor: str | None = None,
    size: int | None = None,
) -> Page[Membership]:
    """Active members of a community, coordinators first."""
    access.require(viewer, "view_members", community)
    qs = Membership.objects.filter(
        community=community, status=Status.ACTIVE
    ).select_related("user", "user__department")
    if role:
        qs = qs.filter(role=role)
    if skill:
        qs = qs.filter(user__expertise__skill__slug=skill)
    qs = qs.prefetch_related(
        Prefetch(
            "user__expertise",
            queryset=Expertise.objects.select_related("skill"),
        )
    )
    return keyset(
        qs.distinct(),
        order=("user__display_name", "id"),
        cursor=cursor,
        size=size or settings.PRACTICA_PAGE_SIZE,
    )


def membership_get(*, viewer: Any, pk: int) -> Membership:
    """A membership the viewer may moderate."""
    m = (
        Membership.objects.select_related("community", "user")
        .filter(pk=pk)
        .first()
    )
    if m is None or not access.can(viewer, "view", m.community):
        raise Http404("No such membership.")
    return m


def join_requests(
    *, viewer: Any, community: Community
) -> QuerySet[Membership]:
    """Pending requests, oldest first (coordinators only)."""
    access.require(viewer, "moderate", community)
    return (
        Membership.objects.filter(community=community, status=Status.PENDING)
        .select_related("user", "user__department")
        .prefetch_related(
            Prefetch(
                "user__expertise",
                queryset=Expertise.objects.select_related("skill"),
            )
        )
        .order_by("created_at", "id")
    )


def invitation_list(
    *, viewer: Any, community: Community
) -> QuerySet[Invitation]:
    """Invitations sent for a community (coordinators and core)."""
    access.require(viewer, "invite", community)
    return Invitation.objects.filter(community=community).select_related(
        "invited_by"
    )


def my_memberships(*, viewer: Any) -> QuerySet[Membership]:
    """The viewer's own memberships and requests, for the home page."""
    return (
        Membership.objects.filter(user=viewer)
        .exclude(status=Status.LEFT)
        .select_related("community")
        .order_by("community__name")
    )


def community_for_edit(*, viewer: Any, slug: str) -> Community:
    """A community with its departments loaded, for its edit form.

    Refuses (PermissionDenied) anyone who may not edit it; a community the
    viewer may not see is a 404.
    """
    community = community_get(viewer=viewer, slug=slug, action="edit")
    prefetch_related_objects([community], "departments")
    return community


def coordinator_queue(*, viewer: Any, size: int = 3) -> list[Community]:
    """Communities the viewer coordinates that have join requests waiting,
    each with its ``size`` oldest requests in ``waiting``.

    Empty for anyone who coordinates nothing; two queries otherwise.
    """
    ids = [
        cid
        for cid, m in access.memberships(viewer).items()
        if m.status == Status.ACTIVE and m.role == Role.COORDINATOR
    ]
    if not ids:
        return []
    waiting = (
        Membership.objects.filter(status=Status.PENDING)
        .select_related("user")
        .order_by("created_at", "id")
    )
    return list(
        Community.objects.filter(pk__in=ids, pending_count__gt=0)
        .prefetch_related(
            Prefetch("memberships", queryset=waiting[:size], to_attr="waiting")
        )
        .order_by("name")
    )
