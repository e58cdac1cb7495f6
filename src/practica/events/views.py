"""The event pages: calendars, an occurrence with RSVP, attendance,
problems and notes, the forms that schedule and change events, and the
coordinators' rhythm health. Thin views over selectors and services;
htmx swaps the RSVP block and the attendance list in place, and every
form works as a whole page without JavaScript.
"""

import calendar as pycal
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_POST

from practica import access
from practica.accounts.models import User
from practica.analytics import selectors as analytics
from practica.communities import selectors as communities
from practica.communities.models import Community
from practica.communities.models import Status as MemberStatus
from practica.conversations.models import Conversation
from practica.core import cache
from practica.events import ical, selectors, services
from practica.events.forms import (
    COMMON_ZONES,
    RENAME,
    CancelForm,
    EventForm,
    MoveForm,
    NotesForm,
    ProblemForm,
    posted_actions,
)
from practica.events.models import Event, FeedToken, RsvpStatus
from practica.web import pages

Request = pages.HtmxRequest
refusals = pages.refusals("web/denied.html")
_me = pages.me
_fragment = pages.is_fragment
_posted = pages.posted
_flat = pages.flat
AGENDA_DAYS = 42


def _zone() -> ZoneInfo:
    tz = timezone.get_current_timezone()
    return tz if isinstance(tz, ZoneInfo) else ZoneInfo("UTC")


def _day_start(d: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(d, time(), tzinfo=zone).astimezone(UTC)


@dataclass
class Day:
    day: date
    in_month: bool
    today: bool
    slots: list[selectors.Slot]


def _month(value: str, today: date) -> date:
    try:
        y, m = (int(p) for p in value.split("-"))
        return date(y, m, 1)
    except (ValueError, TypeError):
        return today.replace(day=1)


def _grid(
    first: date, slots: list[selectors.Slot], zone: ZoneInfo, today: date
) -> list[list[Day]]:
    by_day: dict[date, list[selectors.Slot]] = {}
    for s in slots:
        by_day.setdefault(s.starts_at.astimezone(zone).date(), []).append(s)
    weeks = pycal.Calendar(firstweekday=0).monthdatescalendar(
        first.year, first.month
    )
    return [
        [
            Day(d, d.month == first.month, d == today, by_day.get(d, []))
            for d in week
        ]
        for week in weeks
    ]


@dataclass
class Span:
    """The stretch of time a calendar page shows, in the viewer's zone."""

    view: str  # "month" or "agenda"
    start: datetime
    end: datetime
    zone: ZoneInfo
    today: date
    first: date  # the month, or the agenda's first day


def _span(request: Request) -> Span:
    zone = _zone()
    today = timezone.now().astimezone(zone).date()
    if request.GET.get("view", "month") == "agenda":
        try:
            start_day = date.fromisoformat(request.GET.get("from", ""))
        except ValueError:
            start_day = today
        return Span(
            "agenda",
            _day_start(start_day, zone),
            _day_start(start_day + timedelta(days=AGENDA_DAYS), zone),
            zone,
            today,
            start_day,
        )
    first = _month(request.GET.get("month", ""), today)
    weeks = pycal.Calendar(firstweekday=0).monthdatescalendar(
        first.year, first.month
    )
    return Span(
        "month",
        _day_start(weeks[0][0], zone),
        _day_start(weeks[-1][-1] + timedelta(days=1), zone),
        zone,
        today,
        first,
    )


def _span_context(span: Span, slots: list[selectors.Slot]) -> dict[str, Any]:
    zone, today = span.zone, span.today
    if span.view == "agenda":
        days: dict[date, list[selectors.Slot]] = {}
        for s in slots:
            days.setdefault(s.starts_at.astimezone(zone).date(), []).append(s)
        return {
            "view": "agenda",
            "agenda": sorted(days.items()),
            "from_day": span.first,
            "later": span.first + timedelta(days=AGENDA_DAYS),
            "earlier": span.first - timedelta(days=AGENDA_DAYS),
            "today": today,
        }
    first = span.first
    prev = (first - timedelta(days=1)).replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return {
        "view": "month",
        "first": first,
        "weeks": _grid(first, slots, zone, today),
        "prev": f"{prev:%Y-%m}",
        "next": f"{nxt:%Y-%m}",
        "today": today,
        "weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    }


def _calendar_context(
    request: Request,
    slots_for: Any,
) -> dict[str, Any]:
    span = _span(request)
    return _span_context(span, slots_for(span.start, span.end))


def _feed_url(request: Request, community: Community) -> str:
    return request.build_absolute_uri(
        reverse("events:community_feed", args=[community.slug])
    )


CALENDAR = "events/calendar.html"
# A reader's answer to an occurrence in the cached calendar: a marker per
# occurrence row, filled per request ("m" the month grid, "a" the agenda).
MINE_HOLE = re.compile(r"<!--practica:mine-([ma]):(\d+)-->")


def _calendar_key(
    community: Community, span: Span, *, signed_in: bool
) -> tuple[Any, ...]:
    """What the cached calendar shows depends on: the stamp of the events
    and occurrence rows in the window (calendar_head), the window, today
    (highlighted) and whether the viewer's answers are holes."""
    return (
        community.pk,
        cache.stamp(community.created_at),
        community.events_n,  # type: ignore[attr-defined]
        cache.stamp(community.events_at),  # type: ignore[attr-defined]
        community.rows_n,  # type: ignore[attr-defined]
        cache.stamp(community.rows_at),  # type: ignore[attr-defined]
        span.view,
        cache.stamp(span.start),
        cache.stamp(span.end),
        span.today.isoformat(),
        signed_in,
    )


def _cached_calendar(
    request: Request, community: Community, span: Span
) -> SafeString:
    """The calendar itself (``#cal``) as every viewer sees it, from the
    cache: keyed by the stamp of the events and occurrence rows in the
    window (any change to one shows at once), the window, today's date
    and the zone; a signed-in viewer's own answers are filled in."""
    viewer = request.user
    signed_in = viewer.is_authenticated

    def build() -> tuple[str, int]:
        slots = selectors.window(
            viewer=viewer,
            community=community,
            start=span.start,
            end=span.end,
            mine=False,
        )
        context = _span_context(span, slots)
        context["holes"] = signed_in
        return render_to_string(f"{CALENDAR}#cal", context, request), (
            cache.MAX_AGE
        )

    html = cache.fragment(
        cache.key(
            "calendar",
            *_calendar_key(community, span, signed_in=signed_in),
            templates=[CALENDAR, "events/_slot.html"],
        ),
        build,
    )
    if not signed_in:
        return html
    mine = selectors.my_answers(
        viewer=viewer, community=community, start=span.start, end=span.end
    )
    shown: dict[tuple[str, int], str] = {}

    def fill(match: re.Match[str]) -> str:
        where, row = match.group(1), int(match.group(2))
        answer = mine.get(row)
        if answer is None:
            return ""
        if (where, row) not in shown:
            shown[(where, row)] = render_to_string(
                f"{CALENDAR}#mine", {"mine": answer, "where": where}
            )
        return shown[(where, row)]

    return mark_safe(MINE_HOLE.sub(fill, html))  # noqa: S308 (ours)


def _calendar_page(
    request: Request, community: Community, cal: SafeString
) -> dict[str, Any]:
    viewer = request.user
    return {
        "cal_html": cal,
        "community": community,
        "may_schedule": access.can(viewer, "schedule", community),
        "may_rhythm": access.can(viewer, "rhythm", community),
        "feed_url": _feed_url(request, community),
        "feed_public": community.visibility == "public",
        "here": "calendar",
    }


@refusals
@require_GET
def community_calendar(request: Request, slug: str) -> HttpResponse:
    viewer = request.user
    span = _span(request)
    community = selectors.calendar_head(
        viewer=viewer, slug=slug, start=span.start, end=span.end
    )
    if _fragment(request):
        response = HttpResponse(_cached_calendar(request, community, span))
    elif viewer.is_authenticated:
        cal = _cached_calendar(request, community, span)
        response = render(
            request, CALENDAR, _calendar_page(request, community, cal)
        )
    else:
        # A visitor's whole page, layout included, is the same for every
        # visitor: one cache entry keyed by what the calendar's key names,
        # the community's version (its name) and the site's address (the
        # feed's).
        def build() -> tuple[str, int]:
            cal = _cached_calendar(request, community, span)
            context = _calendar_page(request, community, cal)
            return render_to_string(CALENDAR, context, request), (
                cache.MAX_AGE
            )

        response = pages.visitor_page(
            request,
            "calendar-page",
            *_calendar_key(community, span, signed_in=False),
            community.version,
            request.scheme,
            request.get_host(),
            templates=[CALENDAR, "events/_slot.html"],
            build=build,
        )
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@refusals
@require_GET
def my_calendar(request: Request) -> HttpResponse:
    me = _me(request)

    def slots_for(start: datetime, end: datetime) -> list[selectors.Slot]:
        return selectors.my_window(viewer=me, start=start, end=end)

    context = _calendar_context(request, slots_for)
    token = FeedToken.objects.filter(user=me, revoked_at__isnull=True).first()
    context.update({"mine": True, "feed_token": token})
    template = "events/calendar.html"
    if _fragment(request):
        template += "#cal"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@refusals
@require_POST
def feed_token(request: Request) -> HttpResponse:
    me = _me(request)
    if request.POST.get("action") == "revoke":
        n = services.feed_token_revoke(user=me)
        messages.success(
            request,
            "Your calendar link is switched off: calendars using it stop "
            "updating."
            if n
            else "You had no calendar link.",
        )
        return redirect("events:mine")
    _, raw = services.feed_token_create(user=me)
    personal = request.build_absolute_uri(
        reverse("events:personal_feed", args=[raw])
    )
    slugs = [
        c.slug
        for c in Community.objects.filter(
            memberships__user=me, memberships__status=MemberStatus.ACTIVE
        ).order_by("name")
    ]
    feeds = [
        (
            slug,
            request.build_absolute_uri(
                reverse("events:community_feed", args=[slug])
            )
            + f"?token={raw}",
        )
        for slug in slugs
    ]
    return render(
        request,
        "events/feed_created.html",
        {"personal": personal, "feeds": feeds},
    )


# --- an occurrence ---------------------------------------------------------


def _occurrence_url(event: Event | int, start: datetime) -> str:
    pk = event if isinstance(event, int) else event.pk
    return reverse("events:occurrence", args=[pk, selectors.key(start)])


@refusals
@require_GET
def event_detail(request: Request, pk: int) -> HttpResponse:
    """An event's address: its next occurrence (or its last one)."""
    event = selectors.event_get(viewer=request.user, pk=pk)
    now = timezone.now()
    upcoming = event.starts_between(now, now + timedelta(days=400))
    if upcoming:
        return redirect(_occurrence_url(event, upcoming[0]))
    last = event.starts_between(event.starts_at, now)
    return redirect(_occurrence_url(event, (last or [event.starts_at])[-1]))


def _page_context(
    request: Request, page: selectors.OccurrencePage, **extra: Any
) -> dict[str, Any]:
    slot = page.slot
    event = slot.event
    members: list[User] = []
    if page.may_host and not slot.cancelled:
        members = selectors.members_for_attendance(event=event)
    return {
        "page": page,
        "slot": slot,
        "event": event,
        "community": event.community,
        "members": members,
        "problem_form": extra.pop("problem_form", ProblemForm()),
        "ics_url": reverse("events:event_file", args=[event.pk]),
        "open_soon": slot.starts_at - services.EARLY <= timezone.now(),
        "statuses": RsvpStatus.choices,
        **extra,
    }


@refusals
@require_GET
def occurrence(request: Request, pk: int, start: str) -> HttpResponse:
    page = selectors.occurrence_page(
        viewer=request.user, event_pk=pk, start_key=start
    )
    event = page.slot.event
    cited = analytics.stories_citing(
        request.user, event, link=f"event:{event.pk}"
    )
    return render(
        request,
        "events/occurrence.html",
        _page_context(request, page, cited=cited),
    )


@login_required
@refusals
@require_POST
def rsvp(request: Request, pk: int, start: str) -> HttpResponse:
    me = _me(request)
    event = selectors.event_get(viewer=me, pk=pk)
    moment = selectors.parse_key(start)
    error = ""
    try:
        r = services.event_rsvp(
            user=me,
            event=event,
            original_start=moment,
            status=request.POST.get("status", ""),
        )
    except ValidationError as exc:
        error = _flat(exc)
    if not _fragment(request):
        if error:
            messages.error(request, error)
        elif r.waitlisted:
            messages.success(
                request,
                "It is full: you are on the wait list and get a seat (and "
                "an email) as soon as one frees up.",
            )
        else:
            messages.success(request, "Thanks: your answer is saved.")
        return redirect(_occurrence_url(event, moment))
    page = selectors.occurrence_page(viewer=me, event_pk=pk, start_key=start)
    return render(
        request,
        "events/occurrence.html#rsvp",
        _page_context(request, page, error=error),
    )


@login_required
@refusals
@require_POST
def attendance(request: Request, pk: int, start: str) -> HttpResponse:
    me = _me(request)
    event = selectors.event_get(viewer=me, pk=pk, action="host")
    moment = selectors.parse_key(start)
    error = ""
    person = User.objects.filter(pk=request.POST.get("user") or 0).first()
    try:
        if person is None:
            raise ValidationError({"user": "Choose who attended."})
        services.attendance_mark(
            actor=me,
            event=event,
            original_start=moment,
            user=person,
            attended=request.POST.get("attended", "1") != "0",
        )
    except ValidationError as exc:
        error = _flat(exc)
    if not _fragment(request):
        if error:
            messages.error(request, error)
        return redirect(_occurrence_url(event, moment) + "#attendance")
    page = selectors.occurrence_page(viewer=me, event_pk=pk, start_key=start)
    return render(
        request,
        "events/occurrence.html#attendance",
        _page_context(request, page, attendance_error=error),
    )


@login_required
@refusals
@require_POST
def problem(request: Request, pk: int, start: str) -> HttpResponse:
    me = _me(request)
    event = selectors.event_get(viewer=me, pk=pk)
    moment = selectors.parse_key(start)
    form = ProblemForm(request.POST)
    if form.is_valid():
        qid = form.question_id()
        question = None
        if qid is not None:
            question = Conversation.objects.filter(pk=qid).first()
            if question is None:
                form.add_error("question", f"There is no question #{qid}.")
        if not form.errors:
            try:
                services.problem_submit(
                    author=me,
                    event=event,
                    original_start=moment,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    conversation=question,
                )
            except ValidationError as exc:
                pages.errors_onto(
                    form, exc, rename={"conversation": "question"}
                )
            else:
                messages.success(
                    request, "Your problem is on the session's list."
                )
                return redirect(_occurrence_url(event, moment) + "#problems")
    page = selectors.occurrence_page(viewer=me, event_pk=pk, start_key=start)
    return render(
        request,
        "events/occurrence.html",
        _page_context(request, page, problem_form=form),
        status=400,
    )


@login_required
@refusals
@require_POST
def problem_remove(request: Request, pk: int) -> HttpResponse:
    """Take a problem off a session's list: its author or a host."""
    me = _me(request)
    p = selectors.problem_get(viewer=me, pk=pk)
    row = p.occurrence
    services.problem_remove(actor=me, problem=p)
    messages.success(request, f"“{p.title}” is off the session's list.")
    return redirect(
        _occurrence_url(row.event, row.original_start) + "#problems"
    )


@login_required
@refusals
@require_POST
def action_done(request: Request, pk: int) -> HttpResponse:
    """Tick an action item done, or open again: its owner or a host."""
    me = _me(request)
    a = selectors.action_get(viewer=me, pk=pk)
    done = request.POST.get("done", "1") != "0"
    services.action_done(actor=me, action=a, done=done)
    messages.success(
        request,
        f"Done: “{a.text}”." if done else f"Open again: “{a.text}”.",
    )
    row = a.occurrence
    return redirect(_occurrence_url(row.event, row.original_start) + "#notes")


def _action_rows(page: selectors.OccurrencePage, posted: Any) -> list[Any]:
    if posted is not None:
        rows = posted_actions(posted)
    else:
        rows = [
            {
                "text": a.text,
                "owner": a.owner_id,
                "due": a.due.isoformat() if a.due else "",
                "done": a.done,
            }
            for a in page.actions
        ]
    rows += [{"text": "", "owner": None, "due": "", "done": False}] * 3
    return rows


@login_required
@refusals
def notes(request: Request, pk: int, start: str) -> HttpResponse:
    me = _me(request)
    event = selectors.event_get(viewer=me, pk=pk, action="host")
    page = selectors.occurrence_page(viewer=me, event_pk=pk, start_key=start)
    row = page.slot.row
    form = NotesForm(
        _posted(request),
        initial={
            "what": row.what if row else "",
            "so_what": row.so_what if row else "",
            "now_what": row.now_what if row else "",
        },
    )
    actions = _action_rows(page, _posted(request))
    action_error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.notes_save(
                actor=me,
                event=event,
                original_start=page.slot.original_start,
                actions=posted_actions(request.POST),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            errors = exc.message_dict
            action_error = " ".join(errors.pop("actions", []))
            for name, msgs in errors.items():
                for msg in msgs:
                    form.add_error(name if name in form.fields else None, msg)
        else:
            messages.success(request, "The notes are saved.")
            return redirect(_occurrence_url(event, page.slot.original_start))
    return render(
        request,
        "events/notes.html",
        {
            "form": form,
            "slot": page.slot,
            "event": event,
            "community": event.community,
            "actions": actions,
            "action_error": action_error,
            "members": selectors.members_for_attendance(event=event),
        },
    )


@login_required
@refusals
@require_POST
def to_artifact(request: Request, pk: int, start: str) -> HttpResponse:
    me = _me(request)
    event = selectors.event_get(viewer=me, pk=pk, action="host")
    slot = selectors.slot_get(
        event=event, original_start=selectors.parse_key(start)
    )
    if slot.row is None:
        raise Http404("No notes here yet.")
    try:
        artifact = services.notes_to_artifact(actor=me, occurrence=slot.row)
    except ValidationError as exc:
        messages.error(request, _flat(exc))
        return redirect(slot.url)
    messages.success(
        request,
        "The notes are a draft in the repertoire now: edit and publish "
        "it when it reads well on its own.",
    )
    return redirect("repertoire:detail", artifact.pk)


@refusals
@require_GET
def occurrence_file(request: Request, pk: int, start: str) -> HttpResponse:
    event = selectors.event_get(viewer=request.user, pk=pk)
    slot = selectors.slot_get(
        event=event, original_start=selectors.parse_key(start)
    )
    response = HttpResponse(
        ical.occurrence_file(slot), content_type=ical.CONTENT_TYPE
    )
    response["Content-Disposition"] = (
        f'attachment; filename="event-{pk}-{start}.ics"'
    )
    return response


# --- scheduling and changing -----------------------------------------------


def _members(community: Community) -> Any:
    return User.objects.filter(
        memberships__community=community,
        memberships__status=MemberStatus.ACTIVE,
    ).order_by("display_name", "id")


def _form_page(request: Request, **context: Any) -> HttpResponse:
    context.setdefault("zones", COMMON_ZONES)
    return render(request, "events/form.html", context)


@login_required
@refusals
def create(request: Request, slug: str) -> HttpResponse:
    me = _me(request)
    community = communities.community_get(
        viewer=me, slug=slug, action="schedule"
    )
    zone = _zone()
    start = timezone.now().astimezone(zone) + timedelta(days=7)
    form = EventForm(
        _posted(request),
        members=_members(community),
        initial={
            "time_zone": me.time_zone or "UTC",
            "start_date": start.date(),
            "start_time": time(17, 0),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                actor=me,
                community=community,
                hosts=list(form.cleaned_data["hosts"]) or [me],
                **form.service_fields(),
            )
        except ValidationError as exc:
            pages.errors_onto(form, exc, rename=RENAME)
        else:
            messages.success(
                request,
                f"“{event.title}” is on the calendar ({event.rule_text}).",
            )
            return redirect(_occurrence_url(event, event.starts_at))
    return _form_page(
        request,
        form=form,
        community=community,
        heading=f"Schedule an event in {community.name}",
    )


def _edit_initial(event: Event) -> dict[str, Any]:
    local = event.local_start
    return {
        "kind": event.kind,
        "title": event.title,
        "description": event.description,
        "agenda": event.agenda,
        "start_date": local.date(),
        "start_time": local.time(),
        "duration": int(event.duration.total_seconds() // 60),
        "time_zone": event.time_zone,
        "repeat": "custom" if event.rrule else "none",
        "rrule": event.rrule,
        "online_url": event.online_url,
        "location": event.location,
        "capacity": event.capacity,
        "reminders": ", ".join(str(m) for m in event.reminders),
        "hosts": list(event.hosts.all()),
    }


@login_required
@refusals
def edit(request: Request, pk: int) -> HttpResponse:
    """The whole series, or, with ``?from=<start>``, this and following."""
    me = _me(request)
    event = selectors.event_get(viewer=me, pk=pk, action="edit")
    split_key = request.GET.get("from", "")
    split_at = selectors.parse_key(split_key) if split_key else None
    initial = _edit_initial(event)
    if split_at is not None:
        local = split_at.astimezone(event.zone)
        initial.update(start_date=local.date(), start_time=local.time())
    form = EventForm(
        _posted(request), members=_members(event.community), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        fields["hosts"] = list(form.cleaned_data["hosts"]) or [me]
        try:
            if split_at is not None:
                saved = services.event_split(
                    actor=me, event=event, original_start=split_at, **fields
                )
            else:
                saved = services.event_update(actor=me, event=event, **fields)
        except ValidationError as exc:
            pages.errors_onto(form, exc, rename=RENAME)
        else:
            messages.success(
                request,
                "Saved: the series continues with your changes from that "
                "date on."
                if split_at
                else "Saved.",
            )
            return redirect("events:detail", saved.pk)
    return _form_page(
        request,
        form=form,
        event=event,
        community=event.community,
        split_at=split_at,
        heading=(
            f"Change this and following: {event.title}"
            if split_at
            else f"Edit: {event.title}"
        ),
    )


@login_required
@refusals
def cancel(request: Request, pk: int, start: str) -> HttpResponse:
    me = _me(request)
    event = selectors.event_get(viewer=me, pk=pk, action="host")
    slot = selectors.slot_get(
        event=event, original_start=selectors.parse_key(start)
    )
    form = CancelForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("restore"):
                services.occurrence_restore(
                    actor=me, event=event, original_start=slot.original_start
                )
            else:
                services.occurrence_cancel(
                    actor=me,
                    event=event,
                    original_start=slot.original_start,
                    reason=form.cleaned_data["reason"],
                )
        except ValidationError as exc:
            pages.errors_onto(form, exc, rename={"start": "reason"})
        else:
            messages.success(
                request,
                "Restored."
                if request.POST.get("restore")
                else "This occurrence is cancelled; the others stay.",
            )
            return redirect(slot.url)
    return render(
        request,
        "events/action.html",
        {
            "form": form,
            "slot": slot,
            "event": event,
            "heading": f"Cancel {event.title} on "
            f"{slot.local_start:%-d %B %Y, %H:%M}",
            "intro": "Only this occurrence is cancelled. Everyone who "
            "answered sees it, and calendars drop it.",
            "submit": "Cancel this occurrence",
            "danger": True,
        },
    )


@login_required
@refusals
def move(request: Request, pk: int, start: str) -> HttpResponse:
    me = _me(request)
    event = selectors.event_get(viewer=me, pk=pk, action="host")
    slot = selectors.slot_get(
        event=event, original_start=selectors.parse_key(start)
    )
    local = slot.local_start
    form = MoveForm(
        _posted(request),
        initial={"start_date": local.date(), "start_time": local.time()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.occurrence_move(
                actor=me,
                event=event,
                original_start=slot.original_start,
                start=form.start(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            pages.errors_onto(form, exc, rename={"start": "start_time"})
        else:
            messages.success(request, "Moved; the other dates stay.")
            return redirect(slot.url)
    return render(
        request,
        "events/action.html",
        {
            "form": form,
            "slot": slot,
            "event": event,
            "heading": f"Move {event.title} of {local:%-d %B %Y}",
            "intro": f"Times are in {event.time_zone}. Only this "
            "occurrence moves; RSVPs come along.",
            "submit": "Move",
        },
    )


# --- rhythm health ---------------------------------------------------------


@login_required
@refusals
@require_GET
def rhythm(request: Request, slug: str) -> HttpResponse:
    me = _me(request)
    community = communities.community_get(
        viewer=me, slug=slug, action="rhythm"
    )
    try:
        days = max(7, min(int(request.GET.get("days", "90")), 365))
    except ValueError:
        days = 90
    now = timezone.now()
    health = selectors.rhythm_health(
        community, start=now - timedelta(days=days), end=now
    )
    top = max([g for _, _, g in health["attendance"]] + [1])
    top = max([top] + [a for _, a, _ in health["attendance"]])
    bars = [
        {
            "start": s,
            "attended": a,
            "going": g,
            "pct": round(100 * a / top),
            "going_pct": round(100 * g / top),
        }
        for s, a, g in health["attendance"]
    ]
    return render(
        request,
        "events/rhythm.html",
        {
            "community": community,
            "health": health,
            "bars": bars,
            "days": days,
            "share": round(100 * health["notes_share"]),
            "here": "rhythm",
        },
    )
