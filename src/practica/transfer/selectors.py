"""Reads for claiming imported accounts: the box on a profile and the
requests a coordinator decides."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from practica import access
from practica.accounts.models import User
from practica.communities.models import Community, Membership, Role, Status
from practica.core.models import Activity
from practica.transfer import services
from practica.transfer.models import ClaimRequest, ClaimState

LIST_MAX = 100


@dataclass
class ClaimBox:
    """What a profile says about an imported account, for this viewer."""

    person: User
    unclaimed: bool
    may_hand_over: bool
    may_request: bool
    handed_to: str = ""
    handed_at: Any = None
    my_request: ClaimRequest | None = None
    pending: int = 0


@dataclass
class ClaimRow:
    claim: ClaimRequest
    has_content: bool


def claim_box(*, viewer: Any, person: User) -> ClaimBox | None:
    """The claiming box on ``person``'s profile, or None: for everyone
    but an imported account still waiting for its owner (no query for
    them)."""
    if not getattr(viewer, "is_authenticated", False):
        return None
    unclaimed = services.is_unclaimed(person)
    if not unclaimed and not services.awaiting_owner(person):
        return None
    may_hand_over = services.hand_over_refusal(viewer, person) is None
    box = ClaimBox(
        person=person,
        unclaimed=unclaimed,
        may_hand_over=may_hand_over,
        may_request=unclaimed and not may_hand_over and viewer.pk != person.pk,
    )
    if not unclaimed:
        last = (
            Activity.objects.filter(
                verb=services.CLAIMED,
                target_id=person.pk,
                target_type__app_label="accounts",
                target_type__model="user",
            )
            .order_by("-id")
            .first()
        )
        box.handed_to = person.email
        box.handed_at = last.created_at if last else None
    if box.may_request:
        box.my_request = ClaimRequest.objects.filter(
            account=person, requester=viewer, state=ClaimState.PENDING
        ).first()
    if may_hand_over and unclaimed:
        box.pending = ClaimRequest.objects.filter(
            account=person, state=ClaimState.PENDING
        ).count()
    return box


def account_get(*, viewer: Any, pk: int) -> User:
    """A person the viewer may see; 404 otherwise."""
    person = User.objects.filter(pk=pk).first()
    if person is None or not access.can(viewer, "view", person):
        raise Http404("No such person.")
    return person


def _coordinated(viewer: Any) -> list[int]:
    """The communities the viewer coordinates; no query beyond their
    memberships for someone who coordinates none."""
    ids = [
        cid
        for cid, m in access.memberships(viewer).items()
        if m.status == Status.ACTIVE and m.role == Role.COORDINATOR
    ]
    if not ids:
        return []
    return [
        c.pk
        for c in Community.objects.filter(pk__in=ids)
        if access.can(viewer, "moderate", c)
    ]


def may_decide(viewer: Any) -> bool:
    """True for staff and coordinators: they see the requests page."""
    if not getattr(viewer, "is_authenticated", False):
        return False
    return bool(viewer.is_staff or viewer.is_superuser or _coordinated(viewer))


def _decidable(viewer: Any) -> QuerySet[ClaimRequest] | None:
    """Pending requests the viewer may decide; None when they decide
    none (known from their memberships alone)."""
    if not getattr(viewer, "is_authenticated", False):
        return None
    rows = ClaimRequest.objects.filter(state=ClaimState.PENDING)
    if viewer.is_staff or viewer.is_superuser:
        return rows
    communities = _coordinated(viewer)
    if not communities:
        return None
    people = Membership.objects.filter(
        community_id__in=communities, status=Status.ACTIVE
    ).values("user_id")
    return rows.filter(account_id__in=people)


def claim_requests(*, viewer: Any) -> list[ClaimRow]:
    """Pending requests the viewer may decide, oldest first, each saying
    whether the requester's own account holds content (then approving is
    refused: nothing is merged).

    Staff see all; a coordinator those for people active in a community
    they coordinate; anyone else none.
    """
    rows = _decidable(viewer)
    if rows is None:
        return []
    claims = list(
        rows.select_related("account", "requester").order_by(
            "created_at", "id"
        )[:LIST_MAX]
    )
    return [ClaimRow(c, services.holds_content(c.requester)) for c in claims]


def claim_request_get(*, viewer: Any, pk: int) -> ClaimRequest:
    """A request for its requester or someone who may decide it; 404
    for anyone else."""
    claim = (
        ClaimRequest.objects.select_related("account", "requester")
        .filter(pk=pk)
        .first()
    )
    if claim is None or not getattr(viewer, "is_authenticated", False):
        raise Http404("No such claim request.")
    if (
        claim.requester_id != viewer.pk
        and services.hand_over_refusal(viewer, claim.account) is not None
    ):
        raise Http404("No such claim request.")
    return claim


def my_claim_requests(*, viewer: Any) -> list[ClaimRequest]:
    """The viewer's own requests, newest first."""
    if not getattr(viewer, "is_authenticated", False):
        return []
    return list(
        ClaimRequest.objects.filter(requester=viewer)
        .select_related("account")
        .order_by("-created_at", "-id")[:LIST_MAX]
    )


def pending_count(*, viewer: Any) -> int:
    """How many requests wait for the viewer's decision (0 for people
    who decide none, with one query at most: their memberships)."""
    rows = _decidable(viewer)
    return 0 if rows is None else rows.count()
