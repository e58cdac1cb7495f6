"""Mail about claiming: the invitation that hands an imported account
to its owner, and the answer to a "This is me" request."""

import logging
from datetime import timedelta

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from practica.accounts.models import User
from practica.conversations.models import Conversation, Reply
from practica.core import mail
from practica.transfer import services
from practica.transfer.models import ClaimRequest, ClaimState

log = logging.getLogger(__name__)
RETIRED = services.RETIRED_DOMAIN


def claim_link(account: User) -> str:
    """The one-time link to set a password: a password-reset token, so it
    dies when used (the password changes), when the address changes and
    after ``PASSWORD_RESET_TIMEOUT``."""
    path = reverse(
        "transfer:welcome",
        kwargs={
            "uidb36": user_pk_to_url_str(account),
            "key": default_token_generator.make_token(account),
        },
    )
    return settings.SITE_URL + path


@task
def send_claim_invitation(account_id: int, email: str, by: str = "") -> bool:
    """Mail the invitation; False (and nothing sent) when the account was
    taken or handed to another address since it was queued."""
    account = User.objects.filter(pk=account_id).first()
    if (
        account is None
        or account.email != email
        or not services.awaiting_owner(account)
    ):
        log.info("Claim invitation for %s is out of date.", account_id)
        return False
    context = {
        "person": account,
        "by": by,
        "url": claim_link(account),
        "questions": Conversation.objects.filter(author=account).count(),
        "replies": Reply.objects.filter(author=account).count(),
        "valid_for": timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
        "site": settings.SITE_URL,
    }
    mail.send(
        to=[email],
        subject="Your account on Practica is ready: set your password",
        text=render_to_string("transfer/email/invitation.txt", context),
        html=render_to_string("transfer/email/invitation.html", context),
    )
    return True


@task
def send_claim_decision(claim_id: int) -> bool:
    """Tell the requester how their "This is me" request was decided;
    False when there is nothing to tell."""
    claim = (
        ClaimRequest.objects.select_related("account", "requester")
        .filter(pk=claim_id)
        .first()
    )
    if claim is None or claim.state == ClaimState.PENDING:
        return False
    approved = claim.state == ClaimState.APPROVED
    # Approved, the requester's address moved to the imported account.
    to = claim.account.email if approved else claim.requester.email
    if to.endswith(("@" + services.UNCLAIMED_DOMAIN, "@" + RETIRED)):
        return False
    context = {
        "claim": claim,
        "approved": approved,
        "email": to,
        "sign_in": settings.SITE_URL + reverse("account_login"),
        "profile": settings.SITE_URL
        + reverse("accounts:person", args=[claim.account_id]),
    }
    mail.send(
        to=[to],
        subject=(
            f"You are {claim.account.name} on Practica now"
            if approved
            else f"Your request for {claim.account.name}'s account"
        ),
        text=render_to_string("transfer/email/decision.txt", context),
    )
    return True
