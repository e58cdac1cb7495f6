"""Every read about events, filtered by access.

Occurrences are computed: a window query loads the events that overlap
it and the few occurrence rows (those with state) in it, then expands
each rule for that window only. A daily series over years costs the same
two queries for a month as a weekly one.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import (
    Count,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from practica import access
from practica.accounts.models import User
from practica.communities.models import Community
from practica.communities.models import Status as MemberStatus
from practica.core import sql
from practica.core.pagination import Page, keyset
from practica.events.models import (
    KEY_FORMAT,
    ActionItem,
    Attendance,
    Event,
    Occurrence,
    Problem,
    Rsvp,
    RsvpStatus,
    occurrence_key,
)

MAX_WINDOW = timedelta(days=400)
NEXT_HORIZON = timedelta(days=120)


key = occurrence_key  # an occurrence's original start as a URL part


def parse_key(value: str) -> datetime:
    """The start a URL part names; 404 when it is not one."""
    try:
        return datetime.strptime(value, KEY_FORMAT).replace(tzinfo=UTC)
    except (TypeError, ValueError):
        raise Http404("No such occurrence.") from None


@dataclass
class Slot:
    """One occurrence: computed from the rule, with its row if it has
    state."""

    event: Event
    original_start: datetime
    starts_at: datetime
    ends_at: datetime
    row: Occurrence | None = None
    mine: Rsvp | None = None

    @property
    def key(self) -> str:
        return key(self.original_start)

    @property
    def url(self) -> str:
        return reverse("events:occurrence", args=[self.event.pk, self.key])

    @property
    def cancelled(self) -> bool:
        return bool(self.row and self.row.cancelled)

    @property
    def moved(self) -> bool:
        return bool(self.row and self.row.moved)

    @property
    def going_count(self) -> int:
        return self.row.going_count if self.row else 0

    @property
    def maybe_count(self) -> int:
        return self.row.maybe_count if self.row else 0

    @property
    def waitlist_count(self) -> int:
        return self.row.waitlist_count if self.row else 0

    @property
    def attended_count(self) -> int:
        return self.row.attended_count if self.row else 0

    @property
    def has_notes(self) -> bool:
        return bool(self.row and self.row.has_notes)

    @property
    def seats_left(self) -> int | None:
        cap = self.event.capacity
        return None if cap is None else max(cap - self.going_count, 0)

    @property
    def would_wait(self) -> bool:
        """Answering going now would join the wait list."""
        if self.event.capacity is None or self.seats_left:
            return False
        return not (self.mine and self.mine.status == RsvpStatus.GOING)

    @property
    def is_past(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.event.zone)


def _check_window(start: datetime, end: datetime) -> None:
    if end <= start:
        raise ValidationError({"end": "The window ends before it starts."})
    if end - start > MAX_WINDOW:
        raise ValidationError(
            {"end": "Ask for at most 400 days of occurrences at a time."}
        )


def _expand(
    events: Iterable[Event],
    rows: Iterable[Occurrence],
    start: datetime,
    end: datetime,
) -> list[Slot]:
    by_key = {(r.event_id, r.original_start): r for r in rows}
    slots: list[Slot] = []
    used = set()
    for e in events:
        for s in e.starts_between(start, end):
            row = by_key.get((e.pk, s))
            if row is None:
                slots.append(Slot(e, s, s, s + e.duration))
                continue
            used.add((e.pk, s))
            if start <= row.starts_at < end:
                slots.append(Slot(e, s, row.starts_at, row.ends_at, row))
    for k, row in by_key.items():  # moved into the window
        if k not in used and start <= row.starts_at < end:
            slots.append(
                Slot(row.event, row.original_start, row.starts_at,
                     row.ends_at, row)
            )  # fmt: skip
    slots.sort(key=lambda s: (s.starts_at, s.event.pk))
    return slots


def _events_in(scope: Q, start: datetime, end: datetime) -> QuerySet[Event]:
    return (
        Event.objects.filter(scope, starts_at__lt=end)
        .filter(Q(series_end__isnull=True) | Q(series_end__gt=start))
        .select_related("community")
    )


def _rows_in(scope: Q, start: datetime, end: datetime) -> QuerySet[Occurrence]:
    return Occurrence.objects.filter(
        scope,
        Q(starts_at__gte=start, starts_at__lt=end)
        | Q(original_start__gte=start, original_start__lt=end),
    ).select_related("event", "event__community")


def _window(
    scope_events: Q, scope_rows: Q, start: datetime, end: datetime
) -> list[Slot]:
    _check_window(start, end)
    events = list(_events_in(scope_events, start, end))
    rows = list(_rows_in(scope_rows, start, end))
    return _expand(events, rows, start, end)


def window(
    *,
    viewer: Any,
    community: Community,
    start: datetime,
    end: datetime,
    mine: bool = True,
) -> list[Slot]:
    """A community's occurrences starting in ``[start, end)`` (two
    queries), with the viewer's RSVPs unless ``mine`` is false. Refuses a
    window over 400 days."""
    access.require(viewer, "view", community)
    slots = _window(
        Q(community=community), Q(event__community=community), start, end
    )
    if mine:
        _attach_mine(viewer, slots)
    return slots


def event_list(
    *,
    viewer: Any,
    community: Community,
    include_past: bool = False,
    cursor: str | None = None,
    size: int | None = None,
) -> Page[Event]:
    """A community's events and series that are not over (all of them
    with ``include_past``), first start first, a page at a time. Refuses
    a cursor it did not make."""
    access.require(viewer, "view", community)
    qs = Event.objects.filter(community=community)
    if not include_past:
        qs = qs.filter(
            Q(series_end__isnull=True) | Q(series_end__gt=timezone.now())
        )
    return keyset(
        qs.select_related("community").prefetch_related(_hosts()),
        order=("starts_at", "id"),
        cursor=cursor,
        size=size or settings.PRACTICA_PAGE_SIZE,
    )


CALENDAR_FIELDS = sql.in_model_order(
    Community,
    (
        "id", "created_at", "slug", "name", "visibility", "policy", "kind",
        "is_formal", "member_count", "version",
    ),
)  # fmt: skip


@lru_cache(maxsize=64)
def _calendar_stamp(start: datetime, end: datetime) -> sql.Prepared:
    """The calendar's head for one window, compiled once per process (a
    window is a month or six weeks in a zone: every viewer in that zone
    asks for the same few)."""

    def build(slug: str) -> QuerySet[Any]:
        events = (
            _events_in(Q(community=OuterRef("pk")), start, end)
            .select_related(None)
            .order_by()
            .values("community")
        )
        rows = (
            _rows_in(Q(event__community=OuterRef("pk")), start, end)
            .select_related(None)
            .order_by()
            .values("event__community")
        )
        return (
            Community.objects.filter(slug=slug)
            .annotate(
                events_n=Subquery(events.annotate(n=Count("pk")).values("n")),
                events_at=Subquery(
                    events.annotate(at=Max("updated_at")).values("at")
                ),
                rows_n=Subquery(rows.annotate(n=Count("pk")).values("n")),
                rows_at=Subquery(
                    rows.annotate(at=Max("updated_at")).values("at")
                ),
            )
            .order_by()
            .values_list(
                *CALENDAR_FIELDS, "events_n", "events_at", "rows_n", "rows_at"
            )[:1]
        )

    return sql.Prepared(build, slug=str)


def calendar_head(
    *, viewer: Any, slug: str, start: datetime, end: datetime
) -> Community:
    """A community the viewer may see (404 otherwise) with the stamp of
    its calendar in ``[start, end)``: how many events overlap it and
    occurrence rows fall in it, and when the newest of each changed
    (every service that changes what a calendar shows saves the event or
    the row, so one of the four moves): ``events_n``, ``events_at``,
    ``rows_n``, ``rows_at``. One query. Refuses a window over 400
    days."""
    _check_window(start, end)
    head = _calendar_stamp(start, end)
    found = head(slug=slug)
    if not found:
        raise Http404("No such community.")
    row, n = found[0], len(CALENDAR_FIELDS)
    community = Community.from_db(head.alias, CALENDAR_FIELDS, row[:n])
    if not access.can(viewer, "view", community):
        raise Http404("No such community.")
    (
        community.events_n,  # type: ignore[attr-defined]
        community.events_at,  # type: ignore[attr-defined]
        community.rows_n,  # type: ignore[attr-defined]
        community.rows_at,  # type: ignore[attr-defined]
    ) = row[n:]
    return community


def my_answers(
    *, viewer: Any, community: Community, start: datetime, end: datetime
) -> dict[int, Rsvp]:
    """The viewer's RSVPs to a community's occurrences in ``[start,
    end)``, by occurrence id (one query; none for a visitor)."""
    if not getattr(viewer, "is_authenticated", False):
        return {}
    return {
        r.occurrence_id: r
        for r in Rsvp.objects.filter(
            Q(occurrence__starts_at__gte=start, occurrence__starts_at__lt=end)
            | Q(
                occurrence__original_start__gte=start,
                occurrence__original_start__lt=end,
            ),
            user=viewer,
            occurrence__event__community=community,
        ).only("id", "occurrence_id", "status", "waitlisted")
    }


def _attach_mine(viewer: Any, slots: list[Slot]) -> None:
    if not getattr(viewer, "is_authenticated", False):
        return
    ids = [s.row.pk for s in slots if s.row is not None]
    if not ids:
        return
    mine = {
        r.occurrence_id: r
        for r in Rsvp.objects.filter(user=viewer, occurrence_id__in=ids)
    }
    for s in slots:
        if s.row is not None:
            s.mine = mine.get(s.row.pk)


def my_window(*, viewer: User, start: datetime, end: datetime) -> list[Slot]:
    """Occurrences in the communities I am an active member of, and those
    I answered anywhere I may still see, with my RSVP."""
    mine = [
        cid
        for cid, m in access.memberships(viewer).items()
        if m.status == MemberStatus.ACTIVE
    ]
    visible = access.visible_communities(viewer).values("pk")
    answered = Q(rsvps__user=viewer, event__community__in=visible) & ~Q(
        rsvps__status=RsvpStatus.NOT_GOING
    )
    slots = _window(
        Q(community_id__in=mine),
        Q(event__community_id__in=mine) | answered,
        start,
        end,
    )
    # Rows answered in other communities bring their events along; the
    # same row can match twice through the join.
    seen = set()
    unique = []
    for s in slots:
        k = (s.event.pk, s.original_start)
        if k not in seen:
            seen.add(k)
            unique.append(s)
    _attach_mine(viewer, unique)
    return unique


def upcoming_for(user: Any, *, start: datetime, end: datetime) -> list[Slot]:
    """Occurrences in ``[start, end)`` that ``user`` is going to (with a
    seat), not cancelled, in communities they may still see."""
    if not getattr(user, "is_authenticated", False):
        return []
    rsvps = (
        Rsvp.objects.filter(
            user=user,
            status=RsvpStatus.GOING,
            waitlisted=False,
            occurrence__cancelled=False,
            occurrence__starts_at__gte=start,
            occurrence__starts_at__lt=end,
            occurrence__event__community__in=access.visible_communities(user),
        )
        .select_related("occurrence__event__community")
        .order_by("occurrence__starts_at", "occurrence_id")
    )
    out = []
    for r in rsvps:
        o = r.occurrence
        out.append(
            Slot(o.event, o.original_start, o.starts_at, o.ends_at, o, r)
        )
    return out


def next_sessions(
    viewer: Any, community: Community, *, limit: int = 3
) -> list[Slot]:
    """The next ``limit`` occurrences of a community that are not over
    and not cancelled (empty when the viewer may not see it)."""
    if not access.can(viewer, "view", community):
        return []
    now = timezone.now()
    slots = _window(
        Q(community=community),
        Q(event__community=community),
        now - timedelta(days=1),
        now + NEXT_HORIZON,
    )
    slots = [s for s in slots if s.ends_at > now and not s.cancelled]
    slots = slots[:limit]
    _attach_mine(viewer, slots)
    return slots


def attended(user: Any, community: Community) -> int:
    """How many occurrences of the community ``user`` attended."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Attendance.objects.filter(
        user=user, occurrence__event__community=community
    ).count()


def rhythm_health(
    community: Community, *, start: datetime, end: datetime
) -> dict[str, Any]:
    """Sessions planned (not cancelled) and held (planned and started)
    in ``[start, end)``, how many were cancelled, how many held ones
    have notes, and attendance per held occurrence as ``(start,
    attended, going)``. The caller checks access ("rhythm")."""
    slots = _window(
        Q(community=community), Q(event__community=community), start, end
    )
    now = timezone.now()
    planned = [s for s in slots if not s.cancelled]
    held = [s for s in planned if s.starts_at <= now]
    with_notes = sum(1 for s in held if s.has_notes)
    return {
        "planned": len(planned),
        "held": len(held),
        "cancelled": len(slots) - len(planned),
        "with_notes": with_notes,
        "notes_share": with_notes / len(held) if held else 0.0,
        "attendance": [
            (s.starts_at, s.attended_count, s.going_count) for s in held
        ],
    }


# --- one event, one occurrence ---------------------------------------------


def _hosts() -> Prefetch:
    return Prefetch(
        "hosts",
        queryset=User.objects.only("id", "display_name", "email", "handle"),
    )


def event_get(*, viewer: Any, pk: int, action: str = "view") -> Event:
    """One event the viewer may see (404 otherwise), then ``action``
    checked (PermissionDenied with the reason)."""
    event = (
        Event.objects.select_related("community")
        .prefetch_related(_hosts())
        .filter(pk=pk)
        .first()
    )
    if event is None or not access.can(viewer, "view", event):
        raise Http404("No such event.")
    access.require(viewer, action, event)
    return event


def slot_get(*, event: Event, original_start: datetime) -> Slot:
    """The occurrence of ``event`` the rule gave ``original_start``, with
    its row if it has one (404 when the series has no such date)."""
    row = (
        Occurrence.objects.filter(event=event, original_start=original_start)
        .select_related("artifact")
        .first()
    )
    if row is None:
        if not event.is_start(original_start):
            raise Http404("This event has no occurrence then.")
        return Slot(
            event,
            original_start,
            original_start,
            original_start + event.duration,
        )
    row.event = event
    return Slot(event, row.original_start, row.starts_at, row.ends_at, row)


@dataclass
class OccurrencePage:
    slot: Slot
    going: list[Rsvp] = field(default_factory=list)
    waiting: list[Rsvp] = field(default_factory=list)
    maybe: list[Rsvp] = field(default_factory=list)
    attended_ids: set[int] = field(default_factory=set)
    attendees: list[User] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)
    may_host: bool = False
    may_rsvp: bool = False
    may_schedule: bool = False
    others: list[Slot] = field(default_factory=list)
    # What the viewer may take off the list or tick done (ids).
    removable: set[int] = field(default_factory=set)
    tickable: set[int] = field(default_factory=set)


def occurrence_page(
    *, viewer: Any, event_pk: int, start_key: str
) -> OccurrencePage:
    """Everything an occurrence's page shows, in a fixed number of
    queries."""
    event = event_get(viewer=viewer, pk=event_pk)
    slot = slot_get(event=event, original_start=parse_key(start_key))
    page = OccurrencePage(
        slot=slot,
        may_host=access.can(viewer, "host", event),
        may_rsvp=access.can(viewer, "take_part", event),
    )
    row = slot.row
    if row is not None:
        rsvps = list(
            Rsvp.objects.filter(occurrence=row)
            .select_related("user")
            .order_by("queued_at", "created_at", "id")
        )
        for r in rsvps:
            if getattr(viewer, "pk", None) == r.user_id:
                slot.mine = r
            if r.status == RsvpStatus.NOT_GOING:
                continue
            if r.status == RsvpStatus.MAYBE:
                page.maybe.append(r)
            elif r.waitlisted:
                page.waiting.append(r)
            else:
                page.going.append(r)
        attendance = list(
            Attendance.objects.filter(occurrence=row).select_related("user")
        )
        page.attended_ids = {a.user_id for a in attendance}
        page.attendees = [a.user for a in attendance]
        page.problems = list(
            Problem.objects.filter(occurrence=row).select_related(
                "author", "conversation"
            )
        )
        page.actions = list(
            ActionItem.objects.filter(occurrence=row).select_related("owner")
        )
        for p in page.problems:
            p.occurrence = row
        page.removable = {
            p.pk for p in page.problems if access.can(viewer, "remove", p)
        }
        me = getattr(viewer, "pk", None)
        page.tickable = {
            a.pk
            for a in page.actions
            if page.may_host or (me is not None and a.owner_id == me)
        }
    now = timezone.now()
    page.others = [
        s
        for s in _window(
            Q(pk=event.pk), Q(event=event), now, now + timedelta(days=92)
        )
        if s.original_start != slot.original_start
    ][:6]
    return page


def _on_occurrence[R: (Problem, ActionItem)](
    model: type[R], *, viewer: Any, pk: int, name: str
) -> R:
    """A row of an occurrence the viewer may see (404 otherwise)."""
    row = (
        model.objects.select_related("occurrence__event__community")
        .filter(pk=pk)
        .first()
    )
    if row is None or not access.can(viewer, "view", row.occurrence.event):
        raise Http404(f"No such {name}.")
    return row


def problem_get(*, viewer: Any, pk: int) -> Problem:
    """A problem brought to an occurrence the viewer may see (404
    otherwise)."""
    return _on_occurrence(Problem, viewer=viewer, pk=pk, name="problem")


def action_get(*, viewer: Any, pk: int) -> ActionItem:
    """An action item of an occurrence the viewer may see (404
    otherwise)."""
    return _on_occurrence(ActionItem, viewer=viewer, pk=pk, name="action item")


def members_for_attendance(*, event: Event) -> list[User]:
    """The community's active members, for the host's attendance list."""
    return list(
        User.objects.filter(
            memberships__community=event.community,
            memberships__status=MemberStatus.ACTIVE,
        )
        .only("id", "display_name", "email", "handle")
        .order_by("display_name", "id")
    )


def rsvps_by_occurrence(rows: Iterable[Occurrence]) -> dict[int, list[Rsvp]]:
    out: dict[int, list[Rsvp]] = defaultdict(list)
    for r in Rsvp.objects.filter(occurrence__in=list(rows)).select_related(
        "user"
    ):
        out[r.occurrence_id].append(r)
    return out


# --- feeds -----------------------------------------------------------------


def feed_events(
    *, viewer: Any, community: Community
) -> tuple[list[Event], list[Occurrence]]:
    """A community's events for its calendar feed (those not over more
    than a year ago) and their cancelled or moved occurrences."""
    access.require(viewer, "view", community)
    since = timezone.now() - timedelta(days=365)
    events = list(
        Event.objects.filter(community=community)
        .filter(Q(series_end__isnull=True) | Q(series_end__gt=since))
        .select_related("community")
        .order_by("starts_at", "id")
    )
    rows = list(
        Occurrence.objects.filter(event__in=events)
        .filter(Q(cancelled=True) | ~Q(starts_at=F("original_start")))
        .order_by("original_start")
    )
    return events, rows


def event_exceptions(event: Event) -> list[Occurrence]:
    """An event's cancelled and moved occurrences (for its .ics)."""
    return list(
        Occurrence.objects.filter(event=event)
        .filter(Q(cancelled=True) | ~Q(starts_at=F("original_start")))
        .order_by("original_start")
    )


def my_feed(user: User) -> list[Slot]:
    """Everything ``user`` is going to, from 90 days ago on."""
    now = timezone.now()
    return upcoming_for(
        user, start=now - timedelta(days=90), end=now + timedelta(days=800)
    )
