"""The fan-out reads the activity record through core.cursors: it never
moves past an entry that has not settled, even when an older one
follows it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from practica.core.models import Activity
from practica.notifications import fanout
from practica.notifications.models import Notification
from tests.conversations.factories import ask
from tests.factories import member
from tests.notifications.factories import follow

pytestmark = pytest.mark.django_db


def inbox(user):
    return list(Notification.objects.filter(user=user).order_by("id"))


def test_a_young_entry_holds_the_cursor_though_an_older_one_follows(
    community,
):
    # Two processes took the time and the id in opposite orders: the
    # entry with the lower id is the younger. The fan-out must not move
    # past it while it may still have company committing below it, nor
    # lose it afterwards.
    reader = member(community)
    follow(reader, community)
    asker = member(community)
    before = fanout.pending()
    first = ask(asker, community, title="Press brake angle drifts")
    second = ask(asker, community, title="Shear blade gap check")
    now = timezone.now()
    Activity.objects.filter(target_id=second.pk).update(
        created_at=now - timedelta(hours=1)
    )
    assert fanout.pending() > before
    assert fanout.catch_up(settle_for=timedelta(minutes=10)) == 0
    assert inbox(reader) == []
    assert fanout.catch_up(settle_for=timedelta(0)) == 2
    assert {n.thread_title for n in inbox(reader)} == {
        first.title,
        second.title,
    }
