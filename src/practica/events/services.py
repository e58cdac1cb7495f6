"""Every write about events: schedule, change, split a series, cancel or
move one occurrence, RSVP with a wait list, attendance, problems, notes
and their artifact, feed tokens.

An occurrence gets a row only when something happens to it; the row is
created and locked (``select_for_update``; SQLite takes the write lock at
BEGIN) inside the service's transaction, so two people taking the last
seat at once never both get it.
"""

import secrets
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from practica import access
from practica.accounts.models import User
from practica.accounts.services import hash_token
from practica.communities.models import Community
from practica.communities.models import Status as MemberStatus
from practica.conversations.models import Conversation
from practica.core import activity, text, validation
from practica.events import recurrence
from practica.events.models import (
    ActionItem,
    Attendance,
    Event,
    FeedToken,
    Kind,
    Occurrence,
    Problem,
    Rsvp,
    RsvpStatus,
)

FEED_PREFIX = "prf_"
MAX_DURATION = timedelta(days=14)
MAX_CAPACITY = 100_000
MAX_REMINDERS = 5
MAX_REMINDER_MINUTES = 14 * 24 * 60
MAX_ACTIONS = 30
# Hosts may mark attendance and write notes from this long before the
# start (people arrive early; a host opens the list at the door).
EARLY = timedelta(hours=1)
SCHEDULE_FIELDS = ("time_zone", "start", "end", "duration", "rrule")


# --- cleaning --------------------------------------------------------------


def _title(value: str) -> str:
    return text.clean_line(value, field="title", max_length=200)


def _url(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError(
            {
                "online_url": "The online link must start with http:// or "
                "https://, such as https://meet.example.org/room."
            }
        )
    if len(value) > 500:
        raise ValidationError(
            {"online_url": "The online link is longer than 500 characters."}
        )
    return value


def _local(value: Any, zone: ZoneInfo, field: str) -> datetime:
    """An aware datetime from a naive wall-clock time in ``zone`` (or an
    aware one, or ISO text); refuses a time the clocks skip."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(
                {
                    field: f"'{value}' is not a date and time: use "
                    "2027-03-09 18:00."
                }
            ) from None
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)  # noqa: DTZ001
    if not isinstance(value, datetime):
        raise ValidationError(
            {field: f"{field.capitalize()} is required: give a date and time."}
        )
    if value.tzinfo is not None:
        return value.astimezone(zone)
    aware = value.replace(tzinfo=zone)
    back = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if back != value:
        raise ValidationError(
            {
                field: f"{value:%Y-%m-%d %H:%M} does not exist in {zone.key}:"
                " the clocks jump forward then. Pick an hour later."
            }
        )
    return aware


def _duration(
    start: datetime, *, end: Any, duration: Any, zone: ZoneInfo
) -> timedelta:
    if end not in (None, ""):
        finish = _local(end, zone, "end")
        if finish <= start:
            raise ValidationError(
                {
                    "end": "The end is before (or at) the start: pick an end "
                    "after "
                    f"{start:%Y-%m-%d %H:%M}."
                }
            )
        length = finish - start
    elif duration not in (None, ""):
        if isinstance(duration, timedelta):
            length = duration
        else:
            try:
                length = timedelta(minutes=int(duration))
            except (TypeError, ValueError):
                raise ValidationError(
                    {"duration": "Give the duration in minutes, such as 60."}
                ) from None
        if length <= timedelta(0):
            raise ValidationError(
                {"duration": "The duration must be at least one minute."}
            )
    else:
        length = timedelta(hours=1)
    if length > MAX_DURATION:
        raise ValidationError(
            {
                "end": "An event lasts at most 14 days: split a longer one "
                "into several."
            }
        )
    return length


def _capacity(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        n = int(value)
    except (TypeError, ValueError):
        n = -1
    if not 1 <= n <= MAX_CAPACITY:
        raise ValidationError(
            {
                "capacity": "Capacity is a number of seats from 1 to "
                f"{MAX_CAPACITY}, or empty for no limit."
            }
        )
    return n


def _reminders(value: Any) -> list[int]:
    if value is None:
        return [24 * 60, 60]
    if isinstance(value, str):
        value = [v for v in value.replace(";", ",").split(",") if v.strip()]
    out: set[int] = set()
    try:
        for v in value:
            n = int(v)
            if not 1 <= n <= MAX_REMINDER_MINUTES:
                raise ValueError
            out.add(n)
    except (TypeError, ValueError):
        raise ValidationError(
            {
                "reminders": "Reminders are minutes before the start, from 1 "
                "to 20160 (14 days), such as 1440, 60."
            }
        ) from None
    if len(out) > MAX_REMINDERS:
        raise ValidationError(
            {"reminders": f"Give at most {MAX_REMINDERS} reminders."}
        )
    return sorted(out, reverse=True)


def _hosts(community: Community, people: Iterable[User]) -> list[User]:
    people = list(dict.fromkeys(people))
    if not people:
        raise ValidationError({"hosts": "An event needs at least one host."})
    active = set(
        community.memberships.filter(
            status=MemberStatus.ACTIVE, user__in=people
        ).values_list("user_id", flat=True)
    )
    outside = [p.name for p in people if p.pk not in active]
    if outside:
        raise ValidationError(
            {
                "hosts": f"Hosts must be members of {community.name}: "
                f"{', '.join(outside)} is not."
            }
        )
    return people


def _markdown(value: str, field: str) -> str:
    return text.clean_markdown(value, field=field, max_length=20_000)


def _kind(value: str) -> str:
    return validation.choice(value, Kind, "kind")


def _schedule(
    *,
    time_zone: str,
    start: Any,
    end: Any,
    duration: Any,
    rrule: str,
) -> dict[str, Any]:
    """Zone, first start, duration, rule and series end, checked together
    (each depends on the zone; an unknown zone is reported and UTC used
    to check the rest, so every mistake shows at once)."""
    errors: dict[str, list[str]] = {}

    def keep(exc: ValidationError) -> None:
        for name, msgs in exc.message_dict.items():
            errors.setdefault(name, []).extend(msgs)

    try:
        zone_name = text.clean_time_zone(time_zone)
    except ValidationError as exc:
        keep(exc)
        zone_name = "UTC"
    zone = ZoneInfo(zone_name)
    try:
        first = _local(start, zone, "start")
    except ValidationError as exc:
        keep(exc)
        raise ValidationError(errors) from None
    length = timedelta(hours=1)
    rule = ""
    try:
        length = _duration(first, end=end, duration=duration, zone=zone)
    except ValidationError as exc:
        keep(exc)
    try:
        rule = recurrence.clean_rule(rrule, dtstart=first)
    except ValidationError as exc:
        keep(exc)
    if errors:
        raise ValidationError(errors)
    last = recurrence.last_start(rule, first)
    return {
        "time_zone": zone_name,
        "starts_at": first.astimezone(UTC),
        "duration": length,
        "rrule": rule,
        "series_end": last + length if last is not None else None,
    }


def _record(
    actor: Any,
    verb: str,
    target: Any,
    community_id: int,
    summary: str,
    **data: Any,
) -> None:
    activity.record(
        actor=actor,
        verb=verb,
        target=target,
        community_id=community_id,
        summary=summary,
        data=data,
    )


def _bump(community: Community) -> None:
    Community.objects.filter(pk=community.pk).update(version=F("version") + 1)


# --- events ----------------------------------------------------------------


@transaction.atomic
def event_create(
    *,
    actor: User,
    community: Community,
    title: str,
    start: Any,
    time_zone: str,
    kind: str = Kind.INFORMAL_MEETUP,
    description: str = "",
    agenda: str = "",
    hosts: Iterable[User] | None = None,
    online_url: str = "",
    location: str = "",
    end: Any = None,
    duration: Any = None,
    rrule: str = "",
    capacity: Any = None,
    reminders: Any = None,
) -> Event:
    """Schedule an event (one-off, or a series when ``rrule`` is given);
    ``start``/``end`` are wall-clock times in ``time_zone``.

    Refuses people who may not schedule here, an unknown kind or time
    zone, an end before the start, a rule that is invalid, sub-daily or
    never happens, an online link that is not http(s), a capacity outside
    1..100000, bad reminder offsets and hosts who are not members.
    """
    access.require(actor, "schedule", community)
    cleaned = validation.clean_all(
        {
            "title": lambda: _title(title),
            "kind": lambda: _kind(kind),
            "description": lambda: _markdown(description, "description"),
            "agenda": lambda: _markdown(agenda, "agenda"),
            "online_url": lambda: _url(online_url),
            "location": lambda: text.clean_line(
                location, field="location", max_length=200, required=False
            ),
            "schedule": lambda: _schedule(
                time_zone=time_zone,
                start=start,
                end=end,
                duration=duration,
                rrule=rrule,
            ),
            "capacity": lambda: _capacity(capacity),
            "reminders": lambda: _reminders(reminders),
            "hosts": lambda: _hosts(
                community, hosts if hosts is not None else [actor]
            ),
        }
    )
    host_list = cleaned.pop("hosts")
    cleaned.update(cleaned.pop("schedule"))
    event = Event.objects.create(
        community=community,
        created_by=actor,
        description_html=text.render_markdown(cleaned["description"]),
        agenda_html=text.render_markdown(cleaned["agenda"]),
        **cleaned,
    )
    event.hosts.set(host_list)
    _bump(community)
    _record(
        actor,
        "event.created",
        event,
        community.pk,
        event.title,
        kind=event.kind,
        recurring=event.is_recurring,
    )
    return event


def _future_rows(event: Event) -> Any:
    return Occurrence.objects.filter(
        event=event, starts_at__gte=timezone.now()
    )


def _max_going(event: Event) -> tuple[int, Occurrence | None]:
    row = _future_rows(event).order_by("-going_count").first()
    return (row.going_count, row) if row else (0, None)


@transaction.atomic
def event_update(*, actor: User, event: Event, **fields: Any) -> Event:
    """Change an event; only the fields given change. Schedule fields
    (``time_zone``, ``start``, ``end``, ``duration``, ``rrule``) are
    checked together.

    Refuses what :func:`event_create` refuses, and a capacity below the
    number of people already going to a coming occurrence. Occurrences
    with state that the new schedule no longer has are cancelled (with
    their RSVPs kept, so people can see what happened) and the others
    follow the new duration. A larger capacity seats people from the
    wait lists.
    """
    access.require(actor, "edit", event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    community = event.community
    known = {
        "title",
        "kind",
        "description",
        "agenda",
        "hosts",
        "online_url",
        "location",
        "capacity",
        "reminders",
        *SCHEDULE_FIELDS,
    }
    unknown = set(fields) - known
    if unknown:
        raise TypeError(f"event_update() got unknown fields {unknown}")
    checks: dict[str, Any] = {}
    if "title" in fields:
        checks["title"] = lambda: _title(fields["title"])
    if "kind" in fields:
        checks["kind"] = lambda: _kind(fields["kind"])
    for name in ("description", "agenda"):
        if name in fields:
            checks[name] = (lambda n: lambda: _markdown(fields[n], n))(name)
    if "online_url" in fields:
        checks["online_url"] = lambda: _url(fields["online_url"])
    if "location" in fields:
        checks["location"] = lambda: text.clean_line(
            fields["location"],
            field="location",
            max_length=200,
            required=False,
        )
    if "reminders" in fields:
        checks["reminders"] = lambda: _reminders(fields["reminders"])
    if "hosts" in fields:
        checks["hosts"] = lambda: _hosts(community, fields["hosts"])

    def capacity() -> int | None:
        n = _capacity(fields["capacity"])
        going, row = _max_going(event)
        if n is not None and row is not None and going > n:
            day = row.starts_at.astimezone(event.zone)
            raise ValidationError(
                {
                    "capacity": f"{going} people are already going on "
                    f"{day:%-d %b %Y}: the capacity cannot be below {going}."
                }
            )
        return n

    if "capacity" in fields:
        checks["capacity"] = capacity
    schedule_changed = any(f in fields for f in SCHEDULE_FIELDS)
    if schedule_changed:
        local = event.local_start
        checks["schedule"] = lambda: _schedule(
            time_zone=fields.get("time_zone", event.time_zone),
            start=fields.get(
                "start",
                local
                if "time_zone" not in fields
                else local.replace(tzinfo=None),
            ),
            end=fields.get("end"),
            duration=fields.get(
                "duration", None if "end" in fields else event.duration
            ),
            rrule=fields.get("rrule", event.rrule),
        )
    cleaned = validation.clean_all(checks)
    host_list = cleaned.pop("hosts", None)
    cleaned.update(cleaned.pop("schedule", {}))
    for name, value in cleaned.items():
        setattr(event, name, value)
    if "description" in cleaned:
        event.description_html = text.render_markdown(event.description)
    if "agenda" in cleaned:
        event.agenda_html = text.render_markdown(event.agenda)
    event.sequence += 1
    event.save()
    if host_list is not None:
        event.hosts.set(host_list)
    if schedule_changed:
        _reschedule(event)
    if "capacity" in cleaned:
        for row in _future_rows(event).filter(waitlist_count__gt=0):
            _promote(_lock(row.pk), event)
    _bump(community)
    _record(
        actor,
        "event.updated",
        event,
        community.pk,
        event.title,
        fields=sorted(fields),
    )
    return event


def _reschedule(event: Event) -> None:
    """Keep the occurrence rows in step with a changed schedule."""
    for row in _future_rows(event).select_for_update():
        if event.is_start(row.original_start):
            if not row.moved:
                row.ends_at = row.starts_at + event.duration
                row.save(update_fields=["ends_at", "updated_at"])
        elif not row.moved and not row.cancelled:
            row.cancelled = True
            row.reason = (
                "The schedule changed and this date is no longer in it."
            )
            row.save(update_fields=["cancelled", "reason", "updated_at"])


@transaction.atomic
def event_split(
    *, actor: User, event: Event, original_start: datetime, **changes: Any
) -> Event:
    """ "This and following": end the series before ``original_start`` and
    start a new event there with ``changes`` applied (fields as for
    :func:`event_update`).

    Refuses a start that is not an occurrence of the series, the first
    occurrence (change the whole series instead) and whatever the new
    event's fields would be refused for; nothing changes then.
    """
    access.require(actor, "edit", event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event.is_recurring:
        raise ValidationError(
            {"start": "This event does not repeat: edit it instead."}
        )
    original_start = original_start.astimezone(UTC)
    if not event.is_start(original_start):
        raise ValidationError({"start": "That is not a date of this series."})
    if original_start == event.starts_at:
        raise ValidationError(
            {
                "start": "This is the first date of the series: change the "
                "whole series instead."
            }
        )
    zone = event.zone
    local = original_start.astimezone(zone).replace(tzinfo=None)
    old_rule = event.rrule
    count = dict(p.split("=", 1) for p in old_rule.split(";")).get("COUNT")
    new_rule = changes.pop("rrule", None)
    if new_rule is None:
        new_rule = old_rule
        if count is not None:  # the rest of the count carries on
            done = len(event.starts_between(event.starts_at, original_start))
            new_rule = ";".join(
                f"COUNT={int(count) - done}" if p.startswith("COUNT=") else p
                for p in old_rule.split(";")
            )
    hosts = changes.pop("hosts", list(event.hosts.all()))
    new = event_create(
        actor=actor,
        community=event.community,
        title=changes.pop("title", event.title),
        kind=changes.pop("kind", event.kind),
        description=changes.pop("description", event.description),
        agenda=changes.pop("agenda", event.agenda),
        hosts=hosts,
        online_url=changes.pop("online_url", event.online_url),
        location=changes.pop("location", event.location),
        time_zone=changes.pop("time_zone", event.time_zone),
        start=changes.pop("start", local),
        end=changes.pop("end", None),
        duration=changes.pop("duration", event.duration),
        rrule=new_rule,
        capacity=changes.pop("capacity", event.capacity),
        reminders=changes.pop("reminders", event.reminders),
    )
    if changes:
        raise TypeError(f"event_split() got unknown fields {set(changes)}")
    new.previous = event
    new.save(update_fields=["previous"])
    # The old series ends one second before the split.
    event.rrule = recurrence.with_until(
        old_rule, original_start - timedelta(seconds=1)
    )
    last = recurrence.last_start(event.rrule, event.local_start)
    event.series_end = (last or event.starts_at) + event.duration
    event.sequence += 1
    event.save(update_fields=["rrule", "series_end", "sequence", "updated_at"])
    # Occurrences with state from the split on move to the new series
    # when it still has their date; others are cancelled.
    for row in Occurrence.objects.select_for_update().filter(
        event=event, original_start__gte=original_start
    ):
        if new.is_start(row.original_start):
            row.event = new
            if not row.moved:
                row.ends_at = row.starts_at + new.duration
            row.save(update_fields=["event", "ends_at", "updated_at"])
        else:
            row.cancelled = True
            row.reason = "The series changed from this date on."
            row.save(update_fields=["cancelled", "reason", "updated_at"])
    _record(
        actor,
        "event.split",
        event,
        event.community_id,
        event.title,
        new=new.pk,
        at=original_start.isoformat(),
    )
    return new


# --- occurrences -------------------------------------------------------------


def _lock(pk: int) -> Occurrence:
    return (
        Occurrence.objects.select_for_update()
        .select_related("event", "event__community")
        .get(pk=pk)
    )


def occurrence_for(
    event: Event, original_start: datetime, *, field: str = "start"
) -> Occurrence:
    """The row for one occurrence, created when missing, then locked.

    Call inside a transaction. Refuses a start the series does not have.
    """
    original_start = original_start.astimezone(UTC)
    if not event.is_start(original_start):
        raise ValidationError(
            {
                field: "This event has no occurrence at "
                f"{original_start.astimezone(event.zone):%Y-%m-%d %H:%M}."
            }
        )
    try:
        with transaction.atomic():
            row, _ = Occurrence.objects.get_or_create(
                event=event,
                original_start=original_start,
                defaults={
                    "starts_at": original_start,
                    "ends_at": original_start + event.duration,
                },
            )
    except IntegrityError:  # created by someone else just now
        row = Occurrence.objects.get(
            event=event, original_start=original_start
        )
    return _lock(row.pk)


@transaction.atomic
def occurrence_cancel(
    *, actor: User, event: Event, original_start: datetime, reason: str = ""
) -> Occurrence:
    """Cancel one occurrence; RSVPs stay so people can be told.

    Refuses people who do not run the event, a date the series does not
    have, an occurrence already cancelled or already over.
    """
    access.require(actor, "host", event)
    why = text.clean_line(
        reason, field="reason", max_length=300, required=False
    )
    row = occurrence_for(event, original_start)
    if row.cancelled:
        raise ValidationError(
            {"start": "This occurrence is already cancelled."}
        )
    if row.ends_at <= timezone.now():
        raise ValidationError(
            {"start": "This occurrence is over: it cannot be cancelled."}
        )
    row.cancelled = True
    row.reason = why
    row.save(update_fields=["cancelled", "reason", "updated_at"])
    event.sequence += 1
    event.save(update_fields=["sequence"])
    _bump(event.community)
    _record(
        actor,
        "occurrence.cancelled",
        row,
        event.community_id,
        event.title,
        start=row.original_start.isoformat(),
        reason=why,
    )
    return row


@transaction.atomic
def occurrence_restore(
    *, actor: User, event: Event, original_start: datetime
) -> Occurrence:
    """Undo a cancellation. Refuses an occurrence that is not cancelled."""
    access.require(actor, "host", event)
    row = occurrence_for(event, original_start)
    if not row.cancelled:
        raise ValidationError({"start": "This occurrence is not cancelled."})
    row.cancelled = False
    row.reason = ""
    row.save(update_fields=["cancelled", "reason", "updated_at"])
    event.sequence += 1
    event.save(update_fields=["sequence"])
    _record(
        actor,
        "occurrence.restored",
        row,
        event.community_id,
        event.title,
        start=row.original_start.isoformat(),
    )
    return row


@transaction.atomic
def occurrence_move(
    *,
    actor: User,
    event: Event,
    original_start: datetime,
    start: Any,
    end: Any = None,
    reason: str = "",
) -> Occurrence:
    """Move one occurrence to ``start`` (wall-clock in the event's zone);
    the others keep the rule's dates.

    Refuses a date the series does not have, a cancelled or past
    occurrence, a new start in the past, and an end before the start.
    """
    access.require(actor, "host", event)
    zone = event.zone
    cleaned = validation.clean_all(
        {
            "start": lambda: _local(start, zone, "start"),
            "reason": lambda: text.clean_line(
                reason, field="reason", max_length=300, required=False
            ),
        }
    )
    new_start = cleaned["start"]
    length = _duration(new_start, end=end, duration=event.duration, zone=zone)
    if new_start <= timezone.now():
        raise ValidationError(
            {"start": "The new start is in the past: pick a later time."}
        )
    row = occurrence_for(event, original_start)
    if row.cancelled:
        raise ValidationError(
            {"start": "This occurrence is cancelled: restore it first."}
        )
    if row.starts_at <= timezone.now():
        raise ValidationError(
            {"start": "This occurrence has started: it cannot be moved."}
        )
    row.starts_at = new_start.astimezone(UTC)
    row.ends_at = row.starts_at + length
    row.reason = cleaned["reason"]
    row.save(update_fields=["starts_at", "ends_at", "reason", "updated_at"])
    event.sequence += 1
    event.save(update_fields=["sequence"])
    _bump(event.community)
    _record(
        actor,
        "occurrence.moved",
        row,
        event.community_id,
        event.title,
        start=row.original_start.isoformat(),
        to=row.starts_at.isoformat(),
    )
    return row


# --- RSVP and the wait list --------------------------------------------------


def _promote(row: Occurrence, event: Event) -> list[Rsvp]:
    """Seat people from the wait list while there is room (row locked)."""
    promoted = []
    while row.waitlist_count > 0 and (
        event.capacity is None or row.going_count < event.capacity
    ):
        nxt = (
            Rsvp.objects.select_for_update()
            .filter(occurrence=row, status=RsvpStatus.GOING, waitlisted=True)
            .order_by("queued_at", "id")
            .first()
        )
        if nxt is None:
            row.waitlist_count = 0
            break
        nxt.waitlisted = False
        nxt.queued_at = None
        nxt.save(update_fields=["waitlisted", "queued_at", "updated_at"])
        row.going_count += 1
        row.waitlist_count -= 1
        promoted.append(nxt)
    row.save(update_fields=["going_count", "waitlist_count", "updated_at"])
    for r in promoted:
        _record(
            r.user,
            "event.rsvp",
            row,
            event.community_id,
            event.title,
            status=RsvpStatus.GOING,
            waitlisted=False,
            promoted=True,
        )
    return promoted


@transaction.atomic
def event_rsvp(
    *,
    user: User,
    event: Event,
    original_start: datetime,
    status: str,
) -> Rsvp:
    """Say going, maybe or not going to one occurrence. Going to a full
    occurrence puts the person on its wait list; anyone leaving a seat
    seats the first person waiting.

    Refuses people who cannot take part, an unknown status, a date the
    series does not have, a cancelled occurrence and one that started.
    """
    access.require(user, "take_part", event)
    status = validation.choice(status, RsvpStatus, "status")
    row = occurrence_for(event, original_start, field="occurrence")
    event = row.event
    if row.cancelled:
        raise ValidationError(
            {
                "occurrence": "This occurrence is cancelled: there is "
                "nothing to answer."
            }
        )
    if row.starts_at <= timezone.now():
        raise ValidationError(
            {
                "occurrence": "This occurrence has already started: RSVPs "
                "are closed."
            }
        )
    rsvp = (
        Rsvp.objects.select_for_update()
        .filter(occurrence=row, user=user)
        .first()
    )
    before = (rsvp.status, rsvp.waitlisted) if rsvp else (None, False)
    if rsvp is not None and rsvp.status == status:
        return rsvp  # nothing changes; a repeated click is harmless
    if rsvp is None:
        rsvp = Rsvp(occurrence=row, user=user)
    # Leave what was held.
    if before[0] == RsvpStatus.GOING:
        if before[1]:
            row.waitlist_count -= 1
        else:
            row.going_count -= 1
    elif before[0] == RsvpStatus.MAYBE:
        row.maybe_count -= 1
    # Take the new place.
    rsvp.status = status
    rsvp.waitlisted = False
    rsvp.queued_at = None
    if status == RsvpStatus.GOING:
        full = event.capacity is not None and row.going_count >= event.capacity
        if full or row.waitlist_count > 0:
            rsvp.waitlisted = True
            rsvp.queued_at = timezone.now()
            row.waitlist_count += 1
        else:
            row.going_count += 1
    elif status == RsvpStatus.MAYBE:
        row.maybe_count += 1
    rsvp.save()
    row.save(
        update_fields=[
            "going_count",
            "maybe_count",
            "waitlist_count",
            "updated_at",
        ]
    )
    _record(
        user,
        "event.rsvp",
        row,
        event.community_id,
        event.title,
        status=status,
        waitlisted=rsvp.waitlisted,
    )
    if before[0] == RsvpStatus.GOING and not before[1]:
        _promote(row, event)
    return rsvp


# --- attendance, problems, notes ---------------------------------------------


def _started(row: Occurrence, what: str) -> None:
    if row.cancelled:
        raise ValidationError(
            {"occurrence": f"This occurrence was cancelled: no {what}."}
        )
    if row.starts_at - EARLY > timezone.now():
        raise ValidationError(
            {
                "occurrence": f"{what.capitalize()} can be recorded from an "
                "hour before the start."
            }
        )


@transaction.atomic
def attendance_mark(
    *,
    actor: User,
    event: Event,
    original_start: datetime,
    user: User,
    attended: bool = True,
) -> Occurrence:
    """Mark (or unmark) that ``user`` attended one occurrence.

    Refuses people who do not run the event, a cancelled occurrence, one
    more than an hour away, and a person who is not an active member.
    """
    access.require(actor, "host", event)
    row = occurrence_for(event, original_start, field="occurrence")
    _started(row, "attendance")
    if not event.community.memberships.filter(
        user=user, status=MemberStatus.ACTIVE
    ).exists():
        raise ValidationError(
            {"user": f"{user.name} is not a member of {event.community.name}."}
        )
    existing = Attendance.objects.filter(occurrence=row, user=user)
    if attended and not existing.exists():
        Attendance.objects.create(occurrence=row, user=user, marked_by=actor)
        row.attended_count += 1
    elif not attended and existing.exists():
        existing.delete()
        row.attended_count -= 1
    else:
        return row
    row.save(update_fields=["attended_count", "updated_at"])
    _record(
        actor,
        "occurrence.attended",
        row,
        event.community_id,
        event.title,
        user=user.pk,
        attended=attended,
    )
    return row


@transaction.atomic
def problem_submit(
    *,
    author: User,
    event: Event,
    original_start: datetime,
    title: str,
    body: str = "",
    conversation: Conversation | None = None,
) -> Problem:
    """Bring a problem to a problem-solving session before it starts.

    Refuses people who cannot take part, an event that is not a
    problem-solving session, a cancelled or past occurrence, an empty
    title and a conversation from another community or not visible.
    """
    access.require(author, "take_part", event)
    if event.kind != Kind.PROBLEM_SOLVING:
        raise ValidationError(
            {
                "occurrence": "Only problem-solving sessions collect problems "
                "in advance."
            }
        )

    def link() -> Conversation | None:
        if conversation is None:
            return None
        if conversation.community_id != event.community_id or not access.can(
            author, "view", conversation.community
        ):
            raise ValidationError(
                {
                    "conversation": "Link a question from "
                    f"{event.community.name}."
                }
            )
        return conversation

    cleaned = validation.clean_all(
        {
            "title": lambda: _title(title),
            "body": lambda: _markdown(body, "body"),
            "conversation": link,
        }
    )
    row = occurrence_for(event, original_start, field="occurrence")
    if row.cancelled or row.ends_at <= timezone.now():
        raise ValidationError(
            {
                "occurrence": "This session is cancelled or over: bring the "
                "problem to the next one."
            }
        )
    problem = Problem.objects.create(
        occurrence=row,
        author=author,
        title=cleaned["title"],
        body=cleaned["body"],
        body_html=text.render_markdown(cleaned["body"]),
        conversation=cleaned["conversation"],
    )
    _record(
        author,
        "event.problem",
        problem,
        event.community_id,
        problem.title,
        occurrence=row.pk,
    )
    return problem


@transaction.atomic
def problem_remove(*, actor: User, problem: Problem) -> None:
    """Take a problem off a session's list (its author or a host)."""
    access.require(actor, "remove", problem)
    problem.delete()


def _actions(
    community: Community, items: Iterable[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    items = [i for i in items if (i.get("text") or "").strip()]
    if len(items) > MAX_ACTIONS:
        raise ValidationError(
            {"actions": f"Keep to {MAX_ACTIONS} action items at most."}
        )
    owners = {
        i["owner"].pk if isinstance(i.get("owner"), User) else i.get("owner")
        for i in items
    } - {None, ""}
    members = {
        u.pk: u
        for u in User.objects.filter(
            pk__in=[o for o in owners if str(o).isdigit()],
            memberships__community=community,
            memberships__status=MemberStatus.ACTIVE,
        )
    }
    out = []
    for n, item in enumerate(items, start=1):
        line = text.clean_line(
            item.get("text", ""), field="actions", max_length=300
        )
        owner = item.get("owner")
        owner_id = owner.pk if isinstance(owner, User) else owner
        if owner_id not in (None, ""):
            owner_id = int(owner_id) if str(owner_id).isdigit() else -1
            if owner_id not in members:
                raise ValidationError(
                    {
                        "actions": f"Action {n}: its owner must be a member "
                        f"of {community.name}."
                    }
                )
        due = item.get("due")
        if isinstance(due, str):
            try:
                due = date.fromisoformat(due) if due.strip() else None
            except ValueError:
                raise ValidationError(
                    {
                        "actions": f"Action {n}: '{due}' is not a date; use "
                        "2027-03-31."
                    }
                ) from None
        out.append(
            {
                "text": line,
                "owner": members.get(owner_id) if owner_id else None,
                "due": due,
                "done": bool(item.get("done")),
                "position": n,
            }
        )
    return out


@transaction.atomic
def notes_save(
    *,
    actor: User,
    event: Event,
    original_start: datetime,
    what: str,
    so_what: str = "",
    now_what: str = "",
    actions: Iterable[Mapping[str, Any]] = (),
) -> Occurrence:
    """Write the notes of one occurrence (What? So what? Now what?) and
    its action items (``text``, ``owner``, ``due``, ``done``), replacing
    what was there.

    Refuses people who do not run the event, a cancelled occurrence, one
    more than an hour away, an empty What?, and action owners who are not
    members.
    """
    access.require(actor, "host", event)
    cleaned = validation.clean_all(
        {
            "what": lambda: text.clean_markdown(
                what, field="what", max_length=20_000, required=True
            ),
            "so_what": lambda: _markdown(so_what, "so_what"),
            "now_what": lambda: _markdown(now_what, "now_what"),
            "actions": lambda: _actions(event.community, actions),
        }
    )
    row = occurrence_for(event, original_start, field="occurrence")
    _started(row, "notes")
    first = row.notes_at is None
    for name in ("what", "so_what", "now_what"):
        setattr(row, name, cleaned[name])
        setattr(row, f"{name}_html", text.render_markdown(cleaned[name]))
    row.notes_by = actor
    row.notes_at = timezone.now()
    row.save()
    row.actions.all().delete()
    ActionItem.objects.bulk_create(
        ActionItem(occurrence=row, **item) for item in cleaned["actions"]
    )
    _record(
        actor,
        "occurrence.notes",
        row,
        event.community_id,
        event.title,
        first=first,
        actions=len(cleaned["actions"]),
    )
    return row


@transaction.atomic
def action_done(*, actor: User, action: ActionItem, done: bool) -> ActionItem:
    """Tick an action item off (its owner or the event's hosts)."""
    if action.owner_id != actor.pk:
        access.require(actor, "host", action.occurrence.event)
    action.done = done
    action.save(update_fields=["done"])
    return action


def _notes_markdown(row: Occurrence) -> str:
    event = row.event
    day = row.starts_at.astimezone(event.zone)
    parts = [
        f"From the notes of *{event.title}* on {day:%-d %B %Y}.",
        "## What happened",
        row.what,
    ]
    if row.so_what:
        parts += ["## What it means for our practice", row.so_what]
    if row.now_what:
        parts += ["## What we will do", row.now_what]
    actions = list(row.actions.select_related("owner"))
    if actions:
        lines = []
        for a in actions:
            who = f" ({a.owner.name})" if a.owner else ""
            due = f", by {a.due:%-d %b %Y}" if a.due else ""
            box = "x" if a.done else " "
            lines.append(f"- [{box}] {a.text}{who}{due}")
        parts += ["## Actions", "\n".join(lines)]
    return "\n\n".join(parts)


@transaction.atomic
def notes_to_artifact(*, actor: User, occurrence: Occurrence) -> Any:
    """Turn an occurrence's notes into a draft story in the repertoire,
    linked back to the occurrence.

    Refuses people who do not run the event, an occurrence without notes
    and one whose notes already became an artifact.
    """
    from practica.repertoire.models import Kind as ArtifactKind
    from practica.repertoire.services import artifact_create

    row = _lock(occurrence.pk)
    event = row.event
    access.require(actor, "host", event)
    if not row.has_notes:
        raise ValidationError(
            {"occurrence": "Write the notes first: there is nothing to keep."}
        )
    if row.artifact_id is not None:
        raise ValidationError(
            {
                "occurrence": "These notes are already in the repertoire: "
                "edit that artifact instead."
            }
        )
    day = row.starts_at.astimezone(event.zone)
    artifact = artifact_create(
        author=actor,
        community=event.community,
        title=f"{event.title}, {day:%-d %B %Y}"[:200],
        body=_notes_markdown(row),
        kind=ArtifactKind.STORY,
        source=row,
        message="Captured from the event's notes",
    )
    row.artifact = artifact
    row.save(update_fields=["artifact", "updated_at"])
    return artifact


# --- feed tokens -------------------------------------------------------------


@transaction.atomic
def feed_token_create(*, user: User) -> tuple[FeedToken, str]:
    """A new secret for the personal calendar feed; earlier ones stop
    working. The raw value is returned only now."""
    if not getattr(user, "is_authenticated", False):
        raise ValidationError("Sign in to get a calendar feed.")
    FeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    raw = FEED_PREFIX + secrets.token_urlsafe(24)
    token = FeedToken.objects.create(
        user=user, prefix=raw[:12], token_hash=hash_token(raw)
    )
    activity.record(actor=user, verb="feed_token.created", target=token)
    return token, raw


@transaction.atomic
def feed_token_revoke(*, user: User) -> int:
    """Stop the personal feed's current URL; returns how many stopped."""
    tokens = list(FeedToken.objects.filter(user=user, revoked_at__isnull=True))
    for t in tokens:
        t.revoked_at = timezone.now()
        t.save(update_fields=["revoked_at"])
        activity.record(actor=user, verb="feed_token.revoked", target=t)
    return len(tokens)


def feed_user(raw: str) -> User | None:
    """The person whose feed ``raw`` opens, or None (unknown, revoked)."""
    if not raw or not raw.startswith(FEED_PREFIX):
        return None
    token = (
        FeedToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token.user
