"""Scores and "worked for me" counts stay right when a voter's account
is deleted (in the admin, or by any other delete): the votes go by
cascade, and only that account's own votes come off, so scores an
import brought with no votes behind them stay."""

import pytest
from django.urls import reverse

from practica.conversations import services
from practica.conversations.models import Conversation, Reply
from tests.conversations.factories import answer, ask
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


def test_a_deleted_voters_votes_and_marks_come_off(client, community):
    question = ask(member(community), community)
    reply = answer(member(community), question)
    # Scores brought by an import: no votes behind them.
    Conversation.objects.filter(pk=question.pk).update(score=10)
    Reply.objects.filter(pk=reply.pk).update(score=5)
    leaving, staying = member(community), member(community)
    services.vote(user=leaving, value=1, conversation=question)
    services.vote(user=staying, value=1, conversation=question)
    services.vote(user=leaving, value=-1, reply=reply)
    services.reply_worked(user=leaving, reply=reply)
    question.refresh_from_db()
    reply.refresh_from_db()
    assert (question.score, reply.score, reply.worked_count) == (12, 4, 1)
    version = question.version

    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.post(
        reverse("admin:accounts_user_delete", args=[leaving.pk]),
        {"post": "yes"},
    )
    assert page.status_code == 302

    question.refresh_from_db()
    reply.refresh_from_db()
    assert (question.score, reply.score, reply.worked_count) == (11, 5, 0)
    assert question.version > version  # cached pages show the new numbers
