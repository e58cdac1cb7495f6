"""A small organisation to search: a public community with a solved and
an unanswered question, an organisation-wide one, and a private one whose
words and tag must never reach outsiders."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from practica.conversations import services as conv
from practica.conversations.models import Conversation
from tests.conversations.factories import answer, ask
from tests.factories import CommunityFactory, UserFactory, member


def build() -> dict[str, Any]:
    public = CommunityFactory(name="Platform Guild", slug="platform")
    inside = CommunityFactory(
        name="Org Wide", slug="org-wide", visibility="organisation"
    )
    private = CommunityFactory(
        name="Vault Keepers", slug="vault", visibility="private"
    )
    asker = member(public, user__display_name="Asha Asker")
    solved = ask(
        asker,
        public,
        title="Terraform state drift after import",
        body="Our state drifts after every import of the VPC module.",
        tags=["terraform"],
    )
    best = answer(
        member(public),
        solved,
        body="Run terraform plan with -refresh-only, then commit the state.",
    )
    conv.reply_accept(actor=asker, reply=best)
    open_q = ask(
        asker,
        public,
        title="Flaky CI runners on Mondays",
        body="Runners time out every Monday morning, terraform caches cold.",
        tags=["ci"],
    )
    org_q = ask(
        member(inside),
        inside,
        title="Terraform modules shared across the organisation",
        body="Where do we publish the terraform modules everyone uses?",
        tags=["terraform"],
    )
    insider = member(private, user__display_name="Ivo Insider")
    hidden = ask(
        insider,
        private,
        title="Terraform secrets in the private vault plan",
        body="Secret terraform material that nobody outside may see.",
        tags=["vault-secrets"],
    )
    # Days apart, so "newest first" has an order (the index keeps
    # seconds); the index is built from the database on the first search.
    now = timezone.now()
    for days, c in ((40, solved), (30, open_q), (20, org_q), (10, hidden)):
        Conversation.objects.filter(pk=c.pk).update(
            created_at=now - timedelta(days=days)
        )
    return {
        "public": public,
        "inside": inside,
        "private": private,
        "asker": asker,
        "solved": solved,
        "best": best,
        "open": open_q,
        "org": org_q,
        "hidden": hidden,
        "insider": insider,
        "outsider": UserFactory(display_name="Olga Outsider"),
    }
