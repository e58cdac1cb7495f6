"""Writes of the transfer app that are not bulk loads: handing imported
accounts to their owners, and people asking for theirs."""

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from practica import access
from practica.accounts.models import User
from practica.communities.models import Community, Status
from practica.conversations.models import Comment, Conversation, Reply
from practica.core import activity
from practica.core.models import Activity
from practica.transfer.models import ClaimRequest, ClaimState

UNCLAIMED_DOMAIN = "unclaimed.invalid"
# Where a requester's empty account goes when the imported one becomes
# theirs: reserved, so nothing is ever sent there.
RETIRED_DOMAIN = "retired.invalid"
CLAIMED = "account.claimed"
# Activity that is about the account itself, not something written for
# others: an account with only these holds nothing to lose.
_OWN_SETTINGS = (
    "membership.",
    "profile.",
    "token.",
    "feed_token.",
    "expertise.set",
    "expertise.removed",
    "invitation.accepted",
    "account.",
    "claim.",
)
NOTE_MAX = 500


def is_unclaimed(user: User) -> bool:
    """Imported and never claimed: a placeholder address."""
    return user.email.endswith(f"@{UNCLAIMED_DOMAIN}")


def awaiting_owner(user: User) -> bool:
    """Handed to an address, but its owner has not set a password yet.

    Such an account may be handed over again (a mistyped address, a mail
    that never arrived). No query for an account with a password.
    """
    if user.has_usable_password() or user.last_login is not None:
        return False
    return Activity.objects.filter(
        verb=CLAIMED,
        target_id=user.pk,
        target_type__app_label="accounts",
        target_type__model="user",
    ).exists()


def is_claimable(user: User) -> bool:
    """An imported account nobody has taken yet."""
    return is_unclaimed(user) or awaiting_owner(user)


def hand_over_refusal(actor: User | None, account: User) -> str | None:
    """Why ``actor`` may not hand ``account`` over; None when they may.

    Staff (and the operator, ``None``) may for anyone; a coordinator for
    people active in a community they coordinate.
    """
    if actor is None or actor.is_staff or actor.is_superuser:
        return None
    if getattr(actor, "is_authenticated", False):
        for community in Community.objects.filter(
            memberships__user=account, memberships__status=Status.ACTIVE
        ).distinct():
            if access.can(actor, "moderate", community):
                return None
    return (
        "Only staff, or a coordinator of a community this person is in, "
        "may hand an imported account to its owner."
    )


def _require_hand_over(actor: User | None, account: User) -> None:
    why = hand_over_refusal(actor, account)
    if why is not None:
        raise PermissionDenied(why)


def _clean_email(email: str, account: User) -> str:
    email = User.objects.normalize_email((email or "").strip()).lower()
    if not email:
        raise ValidationError(
            {"email": "Give the address the person reads their mail at."}
        )
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {
                "email": f"'{email}' is not an email address: check it "
                "(it looks like name@example.org)."
            }
        ) from None
    if email.endswith((f"@{UNCLAIMED_DOMAIN}", f"@{RETIRED_DOMAIN}")):
        raise ValidationError(
            {"email": "Give the person's real address, not a placeholder."}
        )
    taken = (
        User.objects.filter(email=email).exclude(pk=account.pk).exists()
        or EmailAddress.objects.filter(email__iexact=email)
        .exclude(user_id=account.pk)
        .exists()
    )
    if taken:
        raise ValidationError(
            {
                "email": f"{email} belongs to another account already; "
                "that person signs in with it (the two cannot be merged). "
                "Give another of their addresses."
            }
        )
    return email


def _invite(account: User, email: str, actor: User | None) -> None:
    from practica.transfer import tasks  # tasks import the services

    by = actor.name if actor is not None else ""
    transaction.on_commit(
        lambda: tasks.send_claim_invitation.enqueue(account.pk, email, by)
    )


@transaction.atomic
def account_claim(
    *, actor: User | None, account: User, email: str, invite: bool = True
) -> User:
    """Give an imported account its owner's real address, and mail them
    a one-time link to set a password.

    The link (a password-reset token, see ``tasks``) stops working once
    used, after ``PASSWORD_RESET_TIMEOUT`` and when the account is
    handed over again; everything the person wrote elsewhere is already
    theirs. Staff (and the operator, ``actor=None``, at the command
    line) may do it for anyone; a coordinator for accounts in a
    community they coordinate. Refuses an account that is not an
    imported one still waiting for its owner, an invalid or placeholder
    address and one another account uses.
    """
    account = User.objects.select_for_update().get(pk=account.pk)
    _require_hand_over(actor, account)
    if not is_claimable(account):
        raise ValidationError(
            {
                "account": f"{account.name}'s account is not an unclaimed "
                "imported account; its owner can already sign in (with "
                "'Forgot your password?' if need be)."
            }
        )
    email = _clean_email(email, account)
    old = account.email
    account.email = email
    account.save(update_fields=["email"])
    # An address recorded for the placeholder, or for a mistyped earlier
    # hand-over, must not keep working (it is part of the token).
    EmailAddress.objects.filter(user_id=account.pk).exclude(
        email__iexact=email
    ).delete()
    activity.record(
        actor=actor,
        verb=CLAIMED,
        target=account,
        summary=account.name,
        data={"from": old, "to": email},
    )
    if invite:
        _invite(account, email, actor)
    return account


@transaction.atomic
def account_take(*, account: User, password: str) -> User:
    """The owner sets their password from the invitation link.

    The link proved they read mail at the address, so it is recorded as
    verified. Refuses (the caller has checked the token) an account that
    is not waiting for its owner.
    """
    account = User.objects.select_for_update().get(pk=account.pk)
    if is_unclaimed(account) or account.has_usable_password():
        raise ValidationError(
            "This account has been taken already: sign in, or use "
            "'Forgot your password?'."
        )
    account.set_password(password)
    account.save(update_fields=["password"])
    EmailAddress.objects.filter(user_id=account.pk).exclude(
        email__iexact=account.email
    ).delete()
    EmailAddress.objects.update_or_create(
        user=account,
        email=account.email,
        defaults={"verified": True, "primary": True},
    )
    activity.record(
        actor=account,
        verb="account.taken",
        target=account,
        summary=account.name,
    )
    return account


# --- "This is me" -------------------------------------------------------


def holds_content(person: User) -> bool:
    """True when the account holds something besides its own settings:
    questions, replies, comments, or any activity for others to see."""
    settings_only = Q()
    for prefix in _OWN_SETTINGS:
        settings_only |= Q(verb__startswith=prefix)
    return (
        Activity.objects.filter(actor=person).exclude(settings_only).exists()
        or Conversation.objects.filter(author=person).exists()
        or Reply.objects.filter(author=person).exists()
        or Comment.objects.filter(author=person).exists()
    )


@transaction.atomic
def claim_request_create(
    *, requester: User, account: User, note: str
) -> ClaimRequest:
    """Ask for an imported account, saying why it is yours.

    Refuses anyone not signed in, an account that is not an unclaimed
    import (or is your own), an empty or overlong note and a second
    request while the first waits.
    """
    if not getattr(requester, "is_authenticated", False):
        raise PermissionDenied("Sign in to claim an imported account.")
    if requester.pk == account.pk or not is_unclaimed(account):
        raise ValidationError(
            {
                "account": f"{account.name}'s account is not an unclaimed "
                "imported account, so there is nothing to claim."
            }
        )
    note = " ".join((note or "").split())
    if not note:
        raise ValidationError(
            {
                "note": "Say how a coordinator can tell it is you: where "
                "you wrote as this person, what you wrote."
            }
        )
    if len(note) > NOTE_MAX:
        raise ValidationError(
            {"note": f"Keep it under {NOTE_MAX} characters ({len(note)})."}
        )
    waiting = ClaimRequest.objects.filter(
        account=account, requester=requester, state=ClaimState.PENDING
    ).first()
    if waiting is not None:
        raise ValidationError(
            f"You asked for this account on "
            f"{waiting.created_at:%d %B %Y}; a coordinator will answer."
        )
    claim = ClaimRequest.objects.create(
        account=account, requester=requester, note=note
    )
    activity.record(
        actor=requester,
        verb="claim.requested",
        target=claim,
        summary=account.name,
    )
    return claim


def _pending(actor: User, claim: ClaimRequest) -> ClaimRequest:
    claim = (
        ClaimRequest.objects.select_for_update()
        .select_related("account", "requester")
        .get(pk=claim.pk)
    )
    _require_hand_over(actor, claim.account)
    if claim.state != ClaimState.PENDING:
        raise ValidationError(
            f"This request was {claim.get_state_display().lower()} already."
        )
    return claim


def _decide(
    actor: User, claim: ClaimRequest, state: str, reason: str = ""
) -> None:
    claim.state = state
    claim.decided_by = actor
    claim.decided_at = timezone.now()
    claim.reason = reason
    claim.save(update_fields=["state", "decided_by", "decided_at", "reason"])
    activity.record(
        actor=actor,
        verb=f"claim.{state}",
        target=claim,
        summary=claim.account.name,
    )
    from practica.transfer import tasks

    pk = claim.pk
    transaction.on_commit(lambda: tasks.send_claim_decision.enqueue(pk))


@transaction.atomic
def claim_request_approve(*, actor: User, claim: ClaimRequest) -> ClaimRequest:
    """Give the imported account to the requester: it takes their address
    and password, and their own (empty) account is retired.

    Nothing is merged, so refuses when the requester's account holds
    content (hand the imported account to another of their addresses
    instead), and a request that is decided or whose account was taken.
    Refuses anyone but staff or a coordinator of the account's
    communities.
    """
    claim = _pending(actor, claim)
    account = User.objects.select_for_update().get(pk=claim.account_id)
    requester = User.objects.select_for_update().get(pk=claim.requester_id)
    if not is_unclaimed(account):
        raise ValidationError(
            f"{account.name}'s account was handed over already; decline "
            "this request."
        )
    if holds_content(requester):
        raise ValidationError(
            f"{requester.name}'s own account ({requester.email}) already "
            "holds their questions, replies or other activity, and two "
            "accounts cannot be merged. Hand the imported account to "
            "another of their addresses instead (on its profile), or "
            "decline."
        )
    email, password = requester.email, requester.password
    requester.email = f"retired-{requester.pk}@{RETIRED_DOMAIN}"
    requester.is_active = False
    requester.set_unusable_password()
    requester.save(update_fields=["email", "is_active", "password"])
    old = account.email
    account.email = email
    account.password = password  # signs in exactly as before
    account.save(update_fields=["email", "password"])
    EmailAddress.objects.filter(user_id=account.pk).delete()
    EmailAddress.objects.filter(user_id=requester.pk).update(
        user_id=account.pk
    )
    activity.record(
        actor=actor,
        verb=CLAIMED,
        target=account,
        summary=account.name,
        data={"from": old, "to": email, "retired": requester.pk},
    )
    _decide(actor, claim, ClaimState.APPROVED)
    # Other people's requests for the same account are over.
    for other in ClaimRequest.objects.filter(
        account=account, state=ClaimState.PENDING
    ).exclude(pk=claim.pk):
        _decide(
            actor,
            other,
            ClaimState.DECLINED,
            "The account was given to someone else.",
        )
    return claim


@transaction.atomic
def claim_request_decline(
    *, actor: User, claim: ClaimRequest, reason: str = ""
) -> ClaimRequest:
    """Say no to a request, with a reason the requester reads.

    Refuses a decided request and anyone but staff or a coordinator of
    the account's communities.
    """
    claim = _pending(actor, claim)
    reason = " ".join((reason or "").split())
    if len(reason) > NOTE_MAX:
        raise ValidationError(
            {"reason": f"Keep it under {NOTE_MAX} characters."}
        )
    _decide(actor, claim, ClaimState.DECLINED, reason)
    return claim
