"""The invitation mail that hands an imported account to its owner."""

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

log = logging.getLogger(__name__)


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
