"""The communities API: directory, membership, requests, invitations."""

from collections.abc import Hashable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from practica.api.auth import OPTIONAL, OPTIONAL_EXTRA, actor, viewer
from practica.api.lists import page_response, stamped_page_response
from practica.api.pagination import Cursor, cursor_guard
from practica.api.problems import problems
from practica.communities import selectors, services
from practica.communities.models import (
    Community,
    Invitation,
    Kind,
    Membership,
    Role,
)
from practica.communities.schemas import (
    AcceptIn,
    ApproveIn,
    CommunityDetailOut,
    CommunityIn,
    CommunityOut,
    CommunityPageOut,
    CommunityPatch,
    InvitationIn,
    InvitationOut,
    JoinIn,
    JoinRequestOut,
    MemberPageOut,
    MembershipOut,
    MyMembershipOut,
    ReasonIn,
    RoleIn,
)
from practica.core.cache import stamp
from practica.core.pagination import Page

router = Router(tags=["communities"])


def _community_parts(c: Community) -> tuple[Hashable, ...]:
    """Everything a directory item's JSON shows, as a cache key: the
    version covers the charter, settings, member count and departments
    set; the departments' own names are named here."""
    return (
        c.pk,
        c.version,
        stamp(c.created_at),
        tuple((d.slug, d.name) for d in c.departments.all()),
    )


def _detail(request: HttpRequest, slug: str) -> CommunityDetailOut:
    page = selectors.community_page(viewer=viewer(request), slug=slug)
    return CommunityDetailOut.build(
        page.community,
        departments=page.departments,
        coordinators=page.coordinators,
        membership=page.membership,
    )


@router.get(
    "/communities",
    response={200: CommunityPageOut, **problems(422)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_EXTRA,
)
def community_list(
    request: HttpRequest,
    kind: Kind | None = None,
    department: str = "",
    mine: bool = False,
    q: str = "",
    cursor: Cursor = None,
) -> HttpResponse:
    """The communities you may see, by name, a page at a time.

    Filter by kind, by department slug, by your own memberships and
    requests (mine) and by a word in the name or domain (q).
    """
    who = viewer(request)
    kind_, dept, words = kind or "", department.strip(), q.strip()
    if kind_ or dept or mine or words or cursor:
        with cursor_guard(cursor):
            page = selectors.community_list(
                viewer=who,
                kind=kind_,
                department=dept,
                mine=mine,
                q=words,
                cursor=cursor,
            )
        return page_response(
            page.items,
            page.next_cursor,
            schema=CommunityOut,
            parts=_community_parts,
            whole=not cursor,
        )
    # The whole directory's first page: what it lists, and each one's
    # version, tell whether the cached page is current (one small query).
    stamps = selectors.directory_stamps(
        viewer=who, size=settings.PRACTICA_PAGE_SIZE
    )
    return stamped_page_response(
        tuple(stamps),
        lambda: selectors.community_list(viewer=who),
        schema=CommunityOut,
        parts=_community_parts,
    )


@router.post(
    "/communities",
    response={201: CommunityDetailOut, **problems(401, 403, 422)},
)
def community_create(
    request: HttpRequest, payload: CommunityIn
) -> Status[CommunityDetailOut]:
    """Start a community; you become its first coordinator."""
    community = services.community_create(
        creator=actor(request), **payload.model_dump()
    )
    return Status(201, _detail(request, community.slug))


@router.get(
    "/communities/{slug}",
    response={200: CommunityDetailOut, **problems(401, 404)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_EXTRA,
)
def community_get(request: HttpRequest, slug: str) -> CommunityDetailOut:
    """One community: charter, coordinators and your membership."""
    return _detail(request, slug)


@router.patch(
    "/communities/{slug}",
    response={200: CommunityDetailOut, **problems(401, 403, 404, 422)},
)
def community_update(
    request: HttpRequest, slug: str, payload: CommunityPatch
) -> CommunityDetailOut:
    """Change a community's charter and settings (coordinators)."""
    user = actor(request)
    community = selectors.community_get(viewer=user, slug=slug)
    fields = {k: v for k, v in payload.model_dump().items() if v is not None}
    community = services.community_update(
        actor=user, community=community, **fields
    )
    return _detail(request, community.slug)


@router.get(
    "/communities/{slug}/members",
    response={200: MemberPageOut, **problems(401, 403, 404, 422)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_EXTRA,
)
def member_list(
    request: HttpRequest,
    slug: str,
    role: Role | None = None,
    skill: str = "",
    cursor: Cursor = None,
) -> Page[Membership]:
    """Active members by name; filter by role and by skill slug."""
    who = viewer(request)
    community = selectors.community_get(viewer=who, slug=slug)
    with cursor_guard(cursor):
        return selectors.member_list(
            viewer=who,
            community=community,
            role=role or "",
            skill=skill.strip(),
            cursor=cursor,
        )


@router.post(
    "/communities/{slug}/join",
    response={200: MyMembershipOut, **problems(401, 403, 404, 422)},
)
def community_join(
    request: HttpRequest, slug: str, payload: JoinIn | None = None
) -> Membership:
    """Join an open community, or ask to join one that needs approval.

    Joining again returns your membership or pending request as it is.
    """
    user = actor(request)
    community = selectors.community_get(viewer=user, slug=slug)
    return services.community_join(
        user=user,
        community=community,
        practice_statement=(payload or JoinIn()).practice_statement,
    )


@router.post(
    "/communities/{slug}/leave",
    response={200: MyMembershipOut, **problems(401, 404, 409)},
)
def community_leave(request: HttpRequest, slug: str) -> Membership:
    """Leave a community, or withdraw your pending request."""
    user = actor(request)
    community = selectors.community_get(viewer=user, slug=slug)
    return services.community_leave(user=user, community=community)


@router.get(
    "/communities/{slug}/requests",
    response={200: list[JoinRequestOut], **problems(401, 403, 404)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_EXTRA,
)
def request_list(request: HttpRequest, slug: str) -> list[Membership]:
    """Pending join requests, oldest first (coordinators)."""
    who = viewer(request)
    community = selectors.community_get(viewer=who, slug=slug)
    return list(selectors.join_requests(viewer=who, community=community))


@router.post(
    "/memberships/{membership_id}/approve",
    response={200: MembershipOut, **problems(401, 403, 404, 409, 422)},
    tags=["memberships"],
)
def membership_approve(
    request: HttpRequest, membership_id: int, payload: ApproveIn | None = None
) -> Membership:
    """Admit a pending member, by default as a newcomer (coordinators)."""
    user = actor(request)
    membership = selectors.membership_get(viewer=user, pk=membership_id)
    return services.membership_approve(
        actor=user, membership=membership, role=(payload or ApproveIn()).role
    )


@router.post(
    "/memberships/{membership_id}/decline",
    response={200: MembershipOut, **problems(401, 403, 404, 409, 422)},
    tags=["memberships"],
)
def membership_decline(
    request: HttpRequest, membership_id: int, payload: ReasonIn
) -> Membership:
    """Decline a join request with a reason the person reads."""
    user = actor(request)
    membership = selectors.membership_get(viewer=user, pk=membership_id)
    return services.membership_decline(
        actor=user, membership=membership, reason=payload.reason
    )


@router.patch(
    "/memberships/{membership_id}",
    response={200: MembershipOut, **problems(401, 403, 404, 409, 422)},
    tags=["memberships"],
)
def membership_set_role(
    request: HttpRequest, membership_id: int, payload: RoleIn
) -> Membership:
    """Change an active member's role (coordinators)."""
    user = actor(request)
    membership = selectors.membership_get(viewer=user, pk=membership_id)
    return services.membership_set_role(
        actor=user, membership=membership, role=payload.role
    )


@router.post(
    "/memberships/{membership_id}/remove",
    response={200: MembershipOut, **problems(401, 403, 404, 409, 422)},
    tags=["memberships"],
)
def membership_remove(
    request: HttpRequest, membership_id: int, payload: ReasonIn
) -> Membership:
    """Remove a member, with a reason (coordinators)."""
    user = actor(request)
    membership = selectors.membership_get(viewer=user, pk=membership_id)
    return services.membership_remove(
        actor=user, membership=membership, reason=payload.reason
    )


@router.get(
    "/communities/{slug}/invitations",
    response={200: list[InvitationOut], **problems(401, 403, 404)},
    tags=["invitations"],
)
def invitation_list(request: HttpRequest, slug: str) -> list[Invitation]:
    """Invitations sent for a community (coordinators and core)."""
    user = actor(request)
    community = selectors.community_get(viewer=user, slug=slug)
    return list(selectors.invitation_list(viewer=user, community=community))


@router.post(
    "/communities/{slug}/invitations",
    response={201: InvitationOut, **problems(401, 403, 404, 422)},
    tags=["invitations"],
)
def invitation_create(
    request: HttpRequest, slug: str, payload: InvitationIn
) -> Status[Invitation]:
    """Invite someone by email; the link goes only to that address."""
    user = actor(request)
    community = selectors.community_get(viewer=user, slug=slug)
    invitation, _raw = services.invitation_create(
        actor=user,
        community=community,
        email=payload.email,
        role=payload.role,
        message=payload.message,
    )
    return Status(201, invitation)


@router.post(
    "/invitations/accept",
    response={200: MyMembershipOut, **problems(401, 422)},
    tags=["invitations"],
)
def invitation_accept(request: HttpRequest, payload: AcceptIn) -> Membership:
    """Accept an invitation sent to your address and become a member."""
    return services.invitation_accept(
        user=actor(request), raw_token=payload.token
    )
