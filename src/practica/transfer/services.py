"""Writes of the transfer app that are not bulk loads: claiming an
imported account."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction

from practica import access
from practica.accounts.models import User
from practica.communities.models import Community
from practica.core import activity

UNCLAIMED_DOMAIN = "unclaimed.invalid"


def is_unclaimed(user: User) -> bool:
    """Imported and never claimed: a placeholder address."""
    return user.email.endswith(f"@{UNCLAIMED_DOMAIN}")


@transaction.atomic
def account_claim(*, actor: User | None, account: User, email: str) -> User:
    """Give an imported account its owner's real address.

    The person then signs in by resetting their password (a reset link
    goes to the new address); everything they wrote elsewhere is already
    theirs. Staff (and the operator, ``actor=None``, at the command
    line) may do it for anyone; a coordinator for accounts in a
    community they coordinate. Refuses an account that is not an
    unclaimed import, an invalid address and one another account uses.
    """
    account = User.objects.select_for_update().get(pk=account.pk)
    if actor is not None and not actor.is_staff:
        coordinated = [
            c
            for c in Community.objects.filter(
                memberships__user=account
            ).distinct()
            if access.can(actor, "moderate", c)
        ]
        if not coordinated:
            raise PermissionDenied(
                "Only staff, or a coordinator of a community this person "
                "is in, may hand an imported account to its owner."
            )
    if not is_unclaimed(account):
        raise ValidationError(
            {
                "account": f"{account.email} is not an unclaimed imported "
                "account; its owner can already sign in."
            }
        )
    email = User.objects.normalize_email((email or "").strip()).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": f"'{email}' is not an email address."}
        ) from None
    if email.endswith(f"@{UNCLAIMED_DOMAIN}"):
        raise ValidationError(
            {"email": "Give the person's real address, not a placeholder."}
        )
    if User.objects.filter(email=email).exclude(pk=account.pk).exists():
        raise ValidationError(
            {
                "email": f"{email} belongs to another account already; "
                "that person signs in with it (the two cannot be merged "
                "here)."
            }
        )
    old = account.email
    account.email = email
    account.save(update_fields=["email"])
    activity.record(
        actor=actor,
        verb="account.claimed",
        target=account,
        summary=account.name,
        data={"from": old},
    )
    return account
