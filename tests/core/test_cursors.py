"""core.cursors: a batch of the activity record after a cursor, and how
far the cursor may move (never past an entry that has not settled)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from practica.core import activity, cursors
from practica.core.models import Activity
from tests.factories import CommunityFactory

pytestmark = pytest.mark.django_db


def entries(n):
    community = CommunityFactory()
    return [
        activity.record(actor=None, verb=f"test.{i}", target=community)
        for i in range(n)
    ]


def ages(rows, *minutes):
    now = timezone.now()
    for row, m in zip(rows, minutes, strict=True):
        Activity.objects.filter(pk=row.pk).update(
            created_at=now - timedelta(minutes=m)
        )


def test_reads_in_id_order_a_batch_at_a_time():
    made = entries(5)
    first = cursors.read_after(
        Activity.objects.all(), after=0, size=3, horizon=None
    )
    assert [a.pk for a in first.rows] == [a.pk for a in made[:3]]
    assert (first.settled, first.through, first.waits) == (
        3,
        made[2].pk,
        False,
    )
    rest = cursors.read_after(
        Activity.objects.all(), after=first.through, size=3, horizon=None
    )
    assert [a.pk for a in rest.done] == [a.pk for a in made[3:]]
    empty = cursors.read_after(
        Activity.objects.all(), after=made[-1].pk, size=3, horizon=None
    )
    assert (empty.rows, empty.through, empty.waits) == ([], made[-1].pk, False)


def test_stops_at_the_first_young_entry_even_with_older_ones_after_it():
    # Ids and times can disagree (two processes took the time and the id
    # in opposite orders): the old entry after the young one waits too.
    made = entries(4)
    ages(made, 60, 60, 0, 60)
    horizon = timezone.now() - timedelta(minutes=10)
    rows = Activity.objects.values_list("pk", "created_at", named=True)
    batch = cursors.read_after(rows, after=0, size=10, horizon=horizon)
    assert len(batch.rows) == 4
    assert [r.pk for r in batch.done] == [made[0].pk, made[1].pk]
    assert (batch.through, batch.waits) == (made[1].pk, True)
    first_young = cursors.read_after(
        rows, after=made[1].pk, size=10, horizon=horizon
    )
    assert (first_young.done, first_young.through) == ([], made[1].pk)
