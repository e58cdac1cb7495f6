"""Claiming imported accounts through the API: handing one over, and
"This is me" requests with their decisions."""

from django.http import HttpRequest
from ninja import Router, Status

from practica.accounts.models import User
from practica.api.auth import actor
from practica.api.problems import problems
from practica.transfer import selectors, services
from practica.transfer.models import ClaimRequest
from practica.transfer.schemas import (
    ClaimRequestIn,
    ClaimRequestOut,
    ClaimRequestRowOut,
    DeclineIn,
    HandOverIn,
    HandOverOut,
)

router = Router(tags=["claims"])


@router.post(
    "/people/{person_id}/claim",
    response={200: HandOverOut, **problems(401, 403, 404, 422)},
)
def account_claim(
    request: HttpRequest, person_id: int, payload: HandOverIn
) -> User:
    """Hand an imported account to its owner's address.

    An invitation with a one-time link to set a password goes to
    ``email``. Staff, or a coordinator of a community the person is in.
    Handing over again (a mistyped address) works until the link is
    used; the earlier link stops working. 422 names the field: ``email``
    (not an address, a placeholder, another account's) or ``account``
    (not an imported account waiting for its owner).
    """
    user = actor(request)
    person = selectors.account_get(viewer=user, pk=person_id)
    return services.account_claim(
        actor=user, account=person, email=payload.email
    )


@router.post(
    "/people/{person_id}/claim-requests",
    response={201: ClaimRequestOut, **problems(401, 404, 409, 422)},
)
def claim_request_create(
    request: HttpRequest, person_id: int, payload: ClaimRequestIn
) -> Status[ClaimRequest]:
    """Say an imported account is yours ("This is me").

    A coordinator decides; approving makes you sign in as that account
    with your address and password, if your own account holds nothing.
    409 when you asked already.
    """
    user = actor(request)
    person = selectors.account_get(viewer=user, pk=person_id)
    claim = services.claim_request_create(
        requester=user, account=person, note=payload.note
    )
    return Status(201, claim)


@router.get(
    "/claim-requests",
    response={200: list[ClaimRequestRowOut], **problems(401)},
)
def claim_request_list(request: HttpRequest) -> list[ClaimRequestRowOut]:
    """Pending requests you may decide, oldest first.

    Staff see all; coordinators those for people in their communities;
    anyone else an empty list.
    """
    rows = selectors.claim_requests(viewer=actor(request))
    return [
        ClaimRequestRowOut.model_validate(
            {
                **ClaimRequestOut.model_validate(r.claim).model_dump(),
                "requester_has_content": r.has_content,
            }
        )
        for r in rows
    ]


@router.post(
    "/claim-requests/{request_id}/approve",
    response={200: ClaimRequestOut, **problems(401, 403, 404, 409)},
)
def claim_request_approve(
    request: HttpRequest, request_id: int
) -> ClaimRequest:
    """Give the imported account to the requester.

    409 when the requester's own account holds content (nothing is
    merged: hand the account to another of their addresses with
    ``POST /people/{id}/claim``), or the request is decided.
    """
    user = actor(request)
    claim = selectors.claim_request_get(viewer=user, pk=request_id)
    return services.claim_request_approve(actor=user, claim=claim)


@router.post(
    "/claim-requests/{request_id}/decline",
    response={200: ClaimRequestOut, **problems(401, 403, 404, 409, 422)},
)
def claim_request_decline(
    request: HttpRequest, request_id: int, payload: DeclineIn | None = None
) -> ClaimRequest:
    """Decline a request, with a reason the requester reads."""
    user = actor(request)
    claim = selectors.claim_request_get(viewer=user, pk=request_id)
    return services.claim_request_decline(
        actor=user, claim=claim, reason=payload.reason if payload else ""
    )
