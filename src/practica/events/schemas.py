"""API schemas for events: explicit fields in, explicit fields out."""

from datetime import date, datetime
from typing import Any, Self

from ninja import Field, Schema

from practica.accounts.schemas import PersonRefOut
from practica.communities.schemas import CommunityRefOut
from practica.events.models import Event, Kind, Occurrence, RsvpStatus
from practica.events.selectors import Slot

# --- out -----------------------------------------------------------------


class EventOut(Schema):
    id: int
    community: CommunityRefOut
    kind: Kind
    title: str
    description: str = Field(description="Markdown source.")
    description_html: str = Field(description="Sanitised HTML.")
    agenda: str
    agenda_html: str
    hosts: list[PersonRefOut]
    online_url: str
    location: str
    time_zone: str = Field(description="IANA name; rules run in it.")
    start: datetime = Field(description="The first start, in time_zone.")
    duration_minutes: int
    rrule: str = Field(
        description="RFC 5545 RRULE value (UNTIL in UTC); empty for a "
        "one-off event."
    )
    repeats: str = Field(description='In words, e.g. "every week on Tue".')
    series_end: datetime | None = Field(
        description="The end of the last occurrence; null for no end."
    )
    capacity: int | None
    reminders: list[int] = Field(description="Minutes before the start.")
    previous_id: int | None = Field(
        description='The series this one continues ("this and following").'
    )
    sequence: int
    ics_url: str

    @classmethod
    def build(cls, e: Event) -> Self:
        from django.urls import reverse

        return cls(
            id=e.pk,
            community=CommunityRefOut(
                slug=e.community.slug, name=e.community.name
            ),
            kind=Kind(e.kind),
            title=e.title,
            description=e.description,
            description_html=e.description_html,
            agenda=e.agenda,
            agenda_html=e.agenda_html,
            hosts=[PersonRefOut(id=h.pk, name=h.name) for h in e.hosts.all()],
            online_url=e.online_url,
            location=e.location,
            time_zone=e.time_zone,
            start=e.local_start,
            duration_minutes=int(e.duration.total_seconds() // 60),
            rrule=e.rrule,
            repeats=e.rule_text,
            series_end=e.series_end,
            capacity=e.capacity,
            reminders=list(e.reminders),
            previous_id=e.previous_id,
            sequence=e.sequence,
            ics_url=reverse("events:event_file", args=[e.pk]),
        )


class EventPageOut(Schema):
    items: list[EventOut]
    next_cursor: str | None = Field(
        description="Pass as cursor for the next page; null on the last."
    )


class MyRsvpOut(Schema):
    status: RsvpStatus
    waitlisted: bool


class OccurrenceOut(Schema):
    """One occurrence; ``key`` names it in paths."""

    event_id: int
    title: str
    kind: Kind
    community: CommunityRefOut
    key: str = Field(description="The original start, e.g. 20270309T170000Z.")
    original_start: datetime
    start: datetime
    end: datetime
    cancelled: bool
    moved: bool
    going_count: int
    maybe_count: int
    waitlist_count: int
    attended_count: int
    capacity: int | None
    has_notes: bool
    mine: MyRsvpOut | None = None
    url: str

    @classmethod
    def build(cls, s: Slot) -> Self:
        e = s.event
        return cls(
            event_id=e.pk,
            title=e.title,
            kind=Kind(e.kind),
            community=CommunityRefOut(
                slug=e.community.slug, name=e.community.name
            ),
            key=s.key,
            original_start=s.original_start,
            start=s.starts_at,
            end=s.ends_at,
            cancelled=s.cancelled,
            moved=s.moved,
            going_count=s.going_count,
            maybe_count=s.maybe_count,
            waitlist_count=s.waitlist_count,
            attended_count=s.attended_count,
            capacity=e.capacity,
            has_notes=s.has_notes,
            mine=MyRsvpOut(
                status=RsvpStatus(s.mine.status), waitlisted=s.mine.waitlisted
            )
            if s.mine
            else None,
            url=s.url,
        )


class ProblemOut(Schema):
    id: int
    title: str
    body: str
    body_html: str
    author: PersonRefOut | None
    conversation_id: int | None
    created_at: datetime


class ActionOut(Schema):
    id: int
    text: str
    owner: PersonRefOut | None
    due: date | None
    done: bool


class NotesOut(Schema):
    what: str
    what_html: str
    so_what: str
    so_what_html: str
    now_what: str
    now_what_html: str
    written_at: datetime | None
    artifact_id: int | None
    actions: list[ActionOut]


class OccurrenceDetailOut(OccurrenceOut):
    reason: str = Field(description="Why it was cancelled or moved.")
    going: list[PersonRefOut]
    waiting: list[PersonRefOut] = Field(description="In wait-list order.")
    maybe: list[PersonRefOut]
    attended: list[PersonRefOut]
    problems: list[ProblemOut]
    notes: NotesOut | None
    permissions: dict[str, bool]


def person(u: Any) -> PersonRefOut | None:
    return PersonRefOut(id=u.pk, name=u.name) if u is not None else None


def notes_out(row: Occurrence | None, actions: list[Any]) -> NotesOut | None:
    if row is None or not row.has_notes:
        return None
    return NotesOut(
        what=row.what,
        what_html=row.what_html,
        so_what=row.so_what,
        so_what_html=row.so_what_html,
        now_what=row.now_what,
        now_what_html=row.now_what_html,
        written_at=row.notes_at,
        artifact_id=row.artifact_id,
        actions=[
            ActionOut(
                id=a.pk,
                text=a.text,
                owner=person(a.owner),
                due=a.due,
                done=a.done,
            )
            for a in actions
        ],
    )


class RsvpOut(Schema):
    status: RsvpStatus
    waitlisted: bool
    going_count: int
    waitlist_count: int


class AttendanceOut(Schema):
    user_id: int
    attended: bool
    attended_count: int


class RhythmPointOut(Schema):
    start: datetime
    attended: int
    going: int


class RhythmOut(Schema):
    start: datetime
    end: datetime
    planned: int = Field(description="Occurrences not cancelled.")
    held: int = Field(description="Planned occurrences that have started.")
    cancelled: int
    with_notes: int
    notes_share: float = Field(description="with_notes / held, 0..1.")
    attendance: list[RhythmPointOut]


class FeedOut(Schema):
    url: str = Field(
        description="Your personal feed; shown only now (only a hash is "
        "kept). Add ?token=… with the same token to a community's "
        "feed.ics to read a non-public community's feed."
    )
    token: str
    created_at: datetime


# --- in ------------------------------------------------------------------


class EventIn(Schema):
    kind: Kind = Kind.INFORMAL_MEETUP
    title: str
    description: str = ""
    agenda: str = ""
    hosts: list[int] = Field(
        default_factory=list, description="User ids; empty means you."
    )
    online_url: str = ""
    location: str = ""
    time_zone: str = Field(description="IANA name such as Europe/Berlin.")
    start: datetime = Field(
        description="Wall-clock time in time_zone (no offset), or with an "
        "offset."
    )
    end: datetime | None = None
    duration_minutes: int | None = Field(
        default=None, description="Used when end is not given; 60 if neither."
    )
    rrule: str = Field(
        default="",
        description="RFC 5545 RRULE value, e.g. FREQ=WEEKLY;BYDAY=TU. At most "
        "daily; COUNT up to 1000.",
    )
    capacity: int | None = None
    reminders: list[int] | None = Field(
        default=None, description="Minutes before; default [1440, 60]."
    )


class EventPatch(Schema):
    """Only the fields sent change."""

    kind: Kind | None = None
    title: str | None = None
    description: str | None = None
    agenda: str | None = None
    hosts: list[int] | None = None
    online_url: str | None = None
    location: str | None = None
    time_zone: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    duration_minutes: int | None = None
    rrule: str | None = None
    capacity: int | None = None
    reminders: list[int] | None = None


class SplitIn(EventPatch):
    """'This and following' from ``from_key``: the changes to apply."""

    from_key: str = Field(description="The occurrence key to split at.")


class ReasonIn(Schema):
    reason: str = ""


class MoveIn(Schema):
    start: datetime = Field(description="Wall-clock in the event's zone.")
    end: datetime | None = None
    reason: str = ""


class RsvpIn(Schema):
    status: RsvpStatus


class ProblemIn(Schema):
    title: str
    body: str = ""
    conversation_id: int | None = None


class ActionIn(Schema):
    text: str
    owner_id: int | None = None
    due: date | None = None
    done: bool = False


class NotesIn(Schema):
    what: str
    so_what: str = ""
    now_what: str = ""
    actions: list[ActionIn] = Field(default_factory=list)
