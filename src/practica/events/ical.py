"""iCalendar (RFC 5545) documents: a community's feed, a person's feed
and one event's .ics, built with the ``icalendar`` library.

A series is one VEVENT with its RRULE in the event's zone (TZID, with a
VTIMEZONE for each zone used), EXDATE for cancelled occurrences and a
VEVENT with RECURRENCE-ID for each moved one, all sharing the series'
UID. A person's feed lists single occurrences, each with its own UID.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from practica.events.models import Event, Kind, Occurrence
from practica.events.selectors import Slot, key

PRODID = "-//Practica//Events//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "practica.invalid"


def uid(event: Event) -> str:
    """Stable for the life of the event."""
    return f"event-{event.pk}@{_host()}"


def _url(path: str) -> str:
    return settings.SITE_URL + path


def calendar(name: str) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    return cal


def _describe(event: Event) -> str:
    parts = [event.description] if event.description else []
    if event.agenda:
        parts.append("Agenda:\n" + event.agenda)
    if event.online_url:
        parts.append("Join online: " + event.online_url)
    return "\n\n".join(parts)


def _base(
    event: Event, *, start: datetime, end: datetime, stamp: datetime
) -> icalendar.Event:
    zone = event.zone
    v = icalendar.Event()
    v.add("uid", uid(event))
    v.add("dtstamp", stamp)
    v.add("dtstart", start.astimezone(zone))
    v.add("dtend", end.astimezone(zone))
    v.add("summary", event.title)
    v.add("sequence", event.sequence)
    v.add("categories", [str(Kind(event.kind).label)])
    description = _describe(event)
    if description:
        v.add("description", description)
    location = event.location or event.online_url
    if location:
        v.add("location", location)
    if event.online_url:
        v.add("url", event.online_url)
    v.add("created", event.created_at.astimezone(UTC))
    v.add("last-modified", event.updated_at.astimezone(UTC))
    return v


def add_event(
    cal: icalendar.Calendar,
    event: Event,
    exceptions: Iterable[Occurrence] = (),
) -> None:
    """The series (or single event) and its exceptions."""
    stamp = timezone.now().astimezone(UTC)
    master = _base(
        event,
        start=event.starts_at,
        end=event.starts_at + event.duration,
        stamp=stamp,
    )
    page = reverse("events:occurrence", args=[event.pk, key(event.starts_at)])
    if not event.online_url:
        master.add("url", _url(page))
    exceptions = list(exceptions)
    if event.rrule:
        master.add("rrule", icalendar.vRecur.from_ical(event.rrule))
        cancelled = [
            o.original_start.astimezone(event.zone)
            for o in exceptions
            if o.cancelled
        ]
        if cancelled:
            master.add("exdate", cancelled)
    elif any(o.cancelled for o in exceptions):
        master.add("status", "CANCELLED")
    cal.add_component(master)
    if not event.rrule:
        single = next((o for o in exceptions if o.moved), None)
        if single is not None and not single.cancelled:
            master["dtstart"] = icalendar.vDDDTypes(
                single.starts_at.astimezone(event.zone)
            )
            master["dtend"] = icalendar.vDDDTypes(
                single.ends_at.astimezone(event.zone)
            )
        return
    for o in exceptions:
        if o.cancelled or not o.moved:
            continue
        moved = _base(event, start=o.starts_at, end=o.ends_at, stamp=stamp)
        moved.add("recurrence-id", o.original_start.astimezone(event.zone))
        if o.reason:
            moved.add("comment", o.reason)
        cal.add_component(moved)


def community_feed(
    name: str, events: list[Event], rows: list[Occurrence]
) -> bytes:
    """A community's events as one calendar."""
    cal = calendar(name)
    by_event: dict[int, list[Occurrence]] = defaultdict(list)
    for o in rows:
        by_event[o.event_id].append(o)
    for e in events:
        add_event(cal, e, by_event.get(e.pk, []))
    cal.add_missing_timezones()
    return bytes(cal.to_ical())


def event_file(event: Event, rows: list[Occurrence]) -> bytes:
    """One event's .ics."""
    cal = calendar(event.title)
    add_event(cal, event, rows)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())


def occurrence_file(slot: Slot) -> bytes:
    """One occurrence as its own calendar (a reminder's attachment)."""
    cal = calendar(slot.event.title)
    _add_single(cal, slot, timezone.now().astimezone(UTC))
    cal.add_missing_timezones()
    return bytes(cal.to_ical())


def _add_single(cal: icalendar.Calendar, slot: Slot, stamp: datetime) -> None:
    e = slot.event
    v = _base(e, start=slot.starts_at, end=slot.ends_at, stamp=stamp)
    v["uid"] = icalendar.vText(f"event-{e.pk}-{slot.key}@{_host()}")
    if not e.online_url:
        v.add("url", _url(slot.url))
    if slot.cancelled:
        v.add("status", "CANCELLED")
    cal.add_component(v)


def personal_feed(name: str, slots: list[Slot]) -> bytes:
    """The occurrences a person is going to."""
    cal = calendar(name)
    stamp = timezone.now().astimezone(UTC)
    for s in slots:
        _add_single(cal, s, stamp)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())
