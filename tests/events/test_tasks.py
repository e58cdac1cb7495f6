"""Reminders through the real worker to a real SMTP sink."""

from datetime import timedelta

import pytest
from django.utils import timezone

from practica.communities.models import Visibility
from practica.core import worker
from practica.events import services, tasks
from practica.events.models import SentReminder
from tests.events.factories import event
from tests.factories import member

pytestmark = pytest.mark.django_db(transaction=True)


def _run() -> None:
    tasks.send_due_reminders.enqueue()
    worker.drain()


def test_reminder_goes_once_with_html_text_and_ics(
    smtp_sink, community, coordinator
):
    e = event(
        community,
        coordinator,
        start=timezone.now() + timedelta(minutes=30),
        reminders=[1440, 60],
        location="Hall 3",
    )
    going, maybe = member(community), member(community)
    services.event_rsvp(
        user=going, event=e, original_start=e.starts_at, status="going"
    )
    services.event_rsvp(
        user=maybe, event=e, original_start=e.starts_at, status="maybe"
    )
    _run()
    (msg,) = smtp_sink.wait(1)
    assert msg.envelope_to == [going.email]
    assert msg["Subject"] == f"Reminder: {e.title} starts in an hour"
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "Hall 3" in text and "Hall 3" in html
    assert "(Europe/Berlin)" in text
    (ics,) = [
        p for p in msg.iter_attachments()
        if p.get_content_type() == "text/calendar"
    ]  # fmt: skip
    assert b"BEGIN:VEVENT" in ics.get_content().encode()
    # The 1 h reminder stands for the overdue 24 h one: both are claimed.
    assert set(SentReminder.objects.values_list("offset", flat=True)) == {
        60,
        1440,
    }
    _run()
    _run()
    assert len(smtp_sink.messages) == 1


def test_no_reminder_before_it_is_due_or_for_the_cancelled(
    smtp_sink, community, coordinator
):
    later = event(
        community,
        coordinator,
        start=timezone.now() + timedelta(hours=5),
        reminders=[60],
    )
    off = event(
        community,
        coordinator,
        start=timezone.now() + timedelta(minutes=20),
        reminders=[60],
    )
    who = member(community)
    for e in (later, off):
        services.event_rsvp(
            user=who, event=e, original_start=e.starts_at, status="going"
        )
    services.occurrence_cancel(
        actor=coordinator, event=off, original_start=off.starts_at
    )
    _run()
    assert smtp_sink.messages == []
    assert SentReminder.objects.count() == 0


def test_people_who_can_no_longer_see_it_get_nothing(
    smtp_sink, community, coordinator
):
    e = event(
        community,
        coordinator,
        start=timezone.now() + timedelta(minutes=30),
        reminders=[60],
    )
    stays, leaves = member(community), member(community)
    for who in (stays, leaves):
        services.event_rsvp(
            user=who, event=e, original_start=e.starts_at, status="going"
        )
    community.visibility = Visibility.PRIVATE
    community.save()
    leaves.memberships.update(status="left")
    _run()
    smtp_sink.wait(1)
    assert [m.envelope_to for m in smtp_sink.messages] == [[stays.email]]
