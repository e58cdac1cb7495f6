"""The demo rhythm loads on top of the demo organisation, once."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from practica.events import selectors
from practica.events.models import Attendance, Event, Occurrence, Rsvp
from practica.repertoire.models import Artifact
from practica.web import demo, demo_events

pytestmark = pytest.mark.django_db


def test_demo_events_are_realistic_and_idempotent(client):
    demo.build()
    out = io.StringIO()
    added = demo_events.load(stdout=out)
    assert added["events"] == len(demo_events.SERIES) + len(
        demo_events.ONE_OFFS
    )
    assert "Events:" in out.getvalue()
    assert Attendance.objects.count() == added["attended"] > 20
    assert Occurrence.objects.filter(cancelled=True).count() >= 5
    assert Occurrence.objects.filter(notes_at__isnull=False).count() >= 8
    assert Rsvp.objects.filter(waitlisted=True).exists()
    assert Artifact.objects.filter(
        source_title__contains=", ", kind="story", status="draft"
    ).count() >= len(demo_events.SERIES)
    # Every community has a rhythm to show.
    for c in demo.COMMUNITIES:
        assert Event.objects.filter(community__slug=c.slug).exists(), c.slug
    # Past occurrences are held, with notes on most of them.
    from practica.communities.models import Community

    sq = Community.objects.get(slug="safety-quality")
    now = timezone.now()
    health = selectors.rhythm_health(
        sq, start=now - timedelta(days=120), end=now
    )
    assert health["held"] >= 7
    assert health["cancelled"] == 1
    assert 0.5 <= health["notes_share"] <= 1
    # Pages render with the demo data.
    client.login(email=f"amara@{demo.DOMAIN}", password=demo.PASSWORD)
    assert (
        client.get(
            reverse("events:calendar", args=["safety-quality"])
        ).status_code
        == 200
    )
    assert (
        client.get(
            reverse("events:rhythm", args=["safety-quality"])
        ).status_code
        == 200
    )
    # Again: nothing added.
    before = (Event.objects.count(), Rsvp.objects.count())
    again = demo_events.load()
    assert again["events"] == 0
    assert (Event.objects.count(), Rsvp.objects.count()) == before
