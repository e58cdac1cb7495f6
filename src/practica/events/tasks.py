"""Reminders before an occurrence, sent by the background worker.

Safe to run twice and from two workers at once: a person's reminder is
claimed by writing its SentReminder row (unique per occurrence, person
and offset) before the email goes; if sending fails the claim is given
back so the next pass retries.
"""

import logging
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone

from practica import access
from practica.core import mail
from practica.core.worker import every
from practica.events import ical
from practica.events.models import (
    Occurrence,
    Rsvp,
    RsvpStatus,
    SentReminder,
)
from practica.events.selectors import Slot

log = logging.getLogger(__name__)
# The longest reminder offset a person can choose (14 days).
HORIZON = timedelta(days=14)


def _when(minutes: int) -> str:
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return "tomorrow" if days == 1 else f"in {days} days"
    if minutes % 60 == 0:
        hours = minutes // 60
        return "in an hour" if hours == 1 else f"in {hours} hours"
    return f"in {minutes} minutes"


def _claim(row: Occurrence, user_id: int, offsets: list[int]) -> bool:
    """Write the rows for every due offset; True when the smallest (the
    one this email stands for) was not claimed before."""
    first = offsets[0]
    try:
        with transaction.atomic():
            SentReminder.objects.create(
                occurrence=row, user_id=user_id, offset=first
            )
    except IntegrityError:
        return False
    # Larger offsets that are due too are over: one email covers them.
    for offset in offsets[1:]:
        SentReminder.objects.get_or_create(
            occurrence=row, user_id=user_id, offset=offset
        )
    return True


def _send(row: Occurrence, rsvp: Rsvp, offset: int) -> None:
    person = rsvp.user
    event = row.event
    try:
        zone = ZoneInfo(person.time_zone or "UTC")
    except (ValueError, KeyError):
        zone = ZoneInfo("UTC")
    slot = Slot(event, row.original_start, row.starts_at, row.ends_at, row)
    context = {
        "person": person,
        "event": event,
        "slot": slot,
        "local": row.starts_at.astimezone(zone),
        "zone": zone.key,
        "when": _when(offset),
        "url": settings.SITE_URL + slot.url,
    }
    host = urlsplit(settings.SITE_URL).hostname or "practica.invalid"
    mail.send(
        to=[person.email],
        subject=f"Reminder: {event.title} starts {context['when']}",
        text=render_to_string("events/email/reminder.txt", context),
        html=render_to_string("events/email/reminder.html", context),
        headers={
            "Message-ID": f"<reminder-{row.pk}-{person.pk}-{offset}@{host}>"
        },
        attachments=[
            (
                f"event-{event.pk}-{slot.key}.ics",
                ical.occurrence_file(slot),
                "text/calendar",
            )
        ],
    )


def due_reminders(
    now: datetime | None = None,
) -> list[tuple[Occurrence, Rsvp, list[int]]]:
    """Who is due which reminders now: (occurrence, RSVP, due offsets,
    smallest first), skipping what was sent."""
    now = now or timezone.now()
    rows = (
        Occurrence.objects.filter(
            cancelled=False,
            going_count__gt=0,
            starts_at__gt=now,
            starts_at__lte=now + HORIZON,
        )
        .select_related("event", "event__community")
        .order_by("starts_at")
    )
    out = []
    for row in rows:
        left = row.starts_at - now
        offsets = sorted(
            m for m in row.event.reminders if timedelta(minutes=m) >= left
        )
        if not offsets:
            continue
        sent = set(
            SentReminder.objects.filter(
                occurrence=row, offset=offsets[0]
            ).values_list("user_id", flat=True)
        )
        rsvps = Rsvp.objects.filter(
            Q(occurrence=row),
            status=RsvpStatus.GOING,
            waitlisted=False,
            user__is_active=True,
        ).select_related("user")
        for r in rsvps:
            if r.user_id not in sent:
                out.append((row, r, offsets))
    return out


@every(timedelta(minutes=1))
@task
def send_due_reminders() -> int:
    """Email everyone going to an occurrence whose reminder is due (HTML
    and text, with the occurrence as an .ics); returns how many went."""
    count = 0
    for row, rsvp, offsets in due_reminders():
        if not access.can(rsvp.user, "view", row.event.community):
            continue  # left a private community: no more reminders
        if not _claim(row, rsvp.user_id, offsets):
            continue
        try:
            _send(row, rsvp, offsets[0])
        except Exception:
            # Give the claim back so the next pass tries again.
            SentReminder.objects.filter(
                occurrence=row, user_id=rsvp.user_id, offset__in=offsets
            ).delete()
            log.exception("Reminder for occurrence %s failed", row.pk)
            continue
        count += 1
    return count
