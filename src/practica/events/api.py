"""The events API: events and series, occurrences in a window, RSVP,
attendance, problems, notes, rhythm health and the personal calendar
feed. An occurrence is named by its event and its key, the original
start in UTC (``20270309T170000Z``), as on the web pages.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from practica import access
from practica.accounts.models import User
from practica.accounts.schemas import PersonRefOut
from practica.api.auth import OPTIONAL, OPTIONAL_EXTRA, actor, viewer
from practica.api.pagination import Cursor, cursor_guard
from practica.api.problems import problems
from practica.communities import selectors as communities
from practica.conversations.models import Conversation
from practica.events import selectors, services
from practica.events.models import Event
from practica.events.schemas import (
    AttendanceOut,
    EventIn,
    EventOut,
    EventPageOut,
    EventPatch,
    FeedOut,
    MoveIn,
    NotesIn,
    NotesOut,
    OccurrenceDetailOut,
    OccurrenceOut,
    ProblemIn,
    ProblemOut,
    ReasonIn,
    RhythmOut,
    RhythmPointOut,
    RsvpIn,
    RsvpOut,
    SplitIn,
    notes_out,
    person,
)

router = Router(tags=["events"])


class Window(Schema):
    start: datetime | None = None
    end: datetime | None = None


def _window(w: Window) -> tuple[datetime, datetime]:
    start = w.start or timezone.now()
    end = w.end or start + timedelta(days=31)
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValidationError(
            {
                "start": "Give start and end with an offset, e.g. "
                "2027-03-01T00:00Z."
            }
        )
    return start, end


def _people(ids: list[int], field: str = "hosts") -> list[User]:
    found = {u.pk: u for u in User.objects.filter(pk__in=ids)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise ValidationError(
            {field: f"No person with id {', '.join(missing)}."}
        )
    return [found[i] for i in dict.fromkeys(ids)]


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    """API names → service names."""
    if "duration_minutes" in data:
        data["duration"] = data.pop("duration_minutes")
    if "hosts" in data:
        data["hosts"] = _people(data["hosts"] or [])
    return data


def _event(request: HttpRequest, pk: int, action: str = "view") -> Event:
    return selectors.event_get(viewer=viewer(request), pk=pk, action=action)


def _out(event: Event) -> EventOut:
    return EventOut.build(
        Event.objects.select_related("community")
        .prefetch_related("hosts")
        .get(pk=event.pk)
    )


def _ref(u: User) -> PersonRefOut:
    return PersonRefOut(id=u.pk, name=u.name)


# --- events --------------------------------------------------------------


@router.get(
    "/communities/{slug}/events",
    response={200: EventPageOut, **problems(401, 404, 422)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_EXTRA,
)
def event_list(
    request: HttpRequest,
    slug: str,
    include_past: bool = False,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """A community's events and series that are not over (all of them
    with include_past), first start first, a page at a time."""
    who = viewer(request)
    community = communities.community_get(viewer=who, slug=slug)
    with cursor_guard(cursor):
        page = selectors.event_list(
            viewer=who,
            community=community,
            include_past=include_past,
            cursor=cursor,
        )
    return {
        "items": [EventOut.build(e) for e in page.items],
        "next_cursor": page.next_cursor,
    }


@router.post(
    "/communities/{slug}/events",
    response={201: EventOut, **problems(401, 403, 404, 422)},
)
def event_create(
    request: HttpRequest, slug: str, payload: EventIn
) -> Status[EventOut]:
    """Schedule an event or a series (members; not newcomers)."""
    user = actor(request)
    community = communities.community_get(viewer=user, slug=slug)
    data = _fields(payload.model_dump())
    data["hosts"] = data["hosts"] or [user]
    event = services.event_create(actor=user, community=community, **data)
    return Status(201, _out(event))


@router.get(
    "/events/{event_id}",
    response={200: EventOut, **problems(401, 404)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_EXTRA,
)
def event_get(request: HttpRequest, event_id: int) -> EventOut:
    """One event or series."""
    return EventOut.build(_event(request, event_id))


@router.patch(
    "/events/{event_id}",
    response={200: EventOut, **problems(401, 403, 404, 422)},
)
def event_update(
    request: HttpRequest, event_id: int, payload: EventPatch
) -> EventOut:
    """Change an event or a whole series (hosts, core members and
    coordinators). Only the fields sent change; capacity null means no
    limit."""
    user = actor(request)
    event = _event(request, event_id)
    data = _fields(payload.model_dump(exclude_unset=True))
    saved = services.event_update(actor=user, event=event, **data)
    return _out(saved)


@router.post(
    "/events/{event_id}/split",
    response={201: EventOut, **problems(401, 403, 404, 422)},
)
def event_split(
    request: HttpRequest, event_id: int, payload: SplitIn
) -> Status[EventOut]:
    """ "This and following": the series ends before from_key and a new
    one, with the changes sent, starts there. Returns the new series."""
    user = actor(request)
    event = _event(request, event_id)
    data = payload.model_dump(exclude_unset=True)
    at = _key(data.pop("from_key"), "from_key")
    new = services.event_split(
        actor=user, event=event, original_start=at, **_fields(data)
    )
    return Status(201, _out(new))


def _key(value: str, field: str = "key") -> datetime:
    try:
        return datetime.strptime(value, selectors.KEY_FORMAT).replace(
            tzinfo=UTC
        )
    except ValueError:
        raise ValidationError(
            {field: "An occurrence key looks like 20270309T170000Z."}
        ) from None


# --- occurrences -----------------------------------------------------------


@router.get(
    "/communities/{slug}/occurrences",
    response={200: list[OccurrenceOut], **problems(401, 404, 422)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_EXTRA,
)
def occurrence_list(
    request: HttpRequest, slug: str, window: Query[Window]
) -> list[OccurrenceOut]:
    """A community's occurrences starting in [start, end) (default: the
    next 31 days; at most 400 days), cancelled ones included."""
    who = viewer(request)
    community = communities.community_get(viewer=who, slug=slug)
    start, end = _window(window)
    slots = selectors.window(
        viewer=who, community=community, start=start, end=end
    )
    return [OccurrenceOut.build(s) for s in slots]


@router.get(
    "/me/occurrences",
    response={200: list[OccurrenceOut], **problems(401, 422)},
)
def my_occurrence_list(
    request: HttpRequest, window: Query[Window]
) -> list[OccurrenceOut]:
    """The occurrences you are going to (with a seat) in [start, end)."""
    start, end = _window(window)
    return [
        OccurrenceOut.build(s)
        for s in selectors.upcoming_for(actor(request), start=start, end=end)
    ]


def _detail(
    request: HttpRequest, event_id: int, key: str
) -> OccurrenceDetailOut:
    page = selectors.occurrence_page(
        viewer=viewer(request), event_pk=event_id, start_key=key
    )
    base = OccurrenceOut.build(page.slot).model_dump()
    return OccurrenceDetailOut(
        **base,
        reason=page.slot.row.reason if page.slot.row else "",
        going=[_ref(r.user) for r in page.going],
        waiting=[_ref(r.user) for r in page.waiting],
        maybe=[_ref(r.user) for r in page.maybe],
        attended=[_ref(u) for u in page.attendees],
        problems=[
            ProblemOut(
                id=p.pk,
                title=p.title,
                body=p.body,
                body_html=p.body_html,
                author=person(p.author),
                conversation_id=p.conversation_id,
                created_at=p.created_at,
            )
            for p in page.problems
        ],
        notes=notes_out(page.slot.row, page.actions),
        permissions={"rsvp": page.may_rsvp, "host": page.may_host},
    )


@router.get(
    "/events/{event_id}/occurrences/{key}",
    response={200: OccurrenceDetailOut, **problems(401, 404)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_EXTRA,
)
def occurrence_get(
    request: HttpRequest, event_id: int, key: str
) -> OccurrenceDetailOut:
    """One occurrence: who is going, the wait list, attendance, problems
    and notes."""
    return _detail(request, event_id, key)


@router.post(
    "/events/{event_id}/occurrences/{key}/cancel",
    response={200: OccurrenceDetailOut, **problems(401, 403, 404, 409)},
)
def occurrence_cancel(
    request: HttpRequest, event_id: int, key: str, payload: ReasonIn
) -> OccurrenceDetailOut:
    """Cancel one occurrence (hosts, core members, coordinators)."""
    user = actor(request)
    event = _event(request, event_id)
    with _state("start"):
        services.occurrence_cancel(
            actor=user,
            event=event,
            original_start=selectors.parse_key(key),
            reason=payload.reason,
        )
    return _detail(request, event_id, key)


@router.post(
    "/events/{event_id}/occurrences/{key}/restore",
    response={200: OccurrenceDetailOut, **problems(401, 403, 404, 409)},
)
def occurrence_restore(
    request: HttpRequest, event_id: int, key: str
) -> OccurrenceDetailOut:
    """Undo the cancellation of one occurrence."""
    user = actor(request)
    event = _event(request, event_id)
    with _state("start"):
        services.occurrence_restore(
            actor=user, event=event, original_start=selectors.parse_key(key)
        )
    return _detail(request, event_id, key)


@router.post(
    "/events/{event_id}/occurrences/{key}/move",
    response={200: OccurrenceDetailOut, **problems(401, 403, 404, 422)},
)
def occurrence_move(
    request: HttpRequest, event_id: int, key: str, payload: MoveIn
) -> OccurrenceDetailOut:
    """Move one occurrence; the others keep the rule's dates."""
    user = actor(request)
    event = _event(request, event_id)
    services.occurrence_move(
        actor=user,
        event=event,
        original_start=selectors.parse_key(key),
        start=payload.start,
        end=payload.end,
        reason=payload.reason,
    )
    return _detail(request, event_id, key)


class _state:
    """A service's complaint about ``name`` (named by the path) is about
    the occurrence's state: 409, not 422."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> None:
        if (
            isinstance(exc, ValidationError)
            and hasattr(exc, "error_dict")
            and set(exc.message_dict) == {self.name}
        ):
            raise ValidationError(exc.message_dict[self.name]) from exc


@router.put(
    "/events/{event_id}/occurrences/{key}/rsvp",
    response={200: RsvpOut, **problems(401, 403, 404, 409, 422)},
)
def occurrence_rsvp(
    request: HttpRequest, event_id: int, key: str, payload: RsvpIn
) -> RsvpOut:
    """Answer going, maybe or not_going. Going to a full occurrence puts
    you on the wait list (waitlisted true); you get a seat automatically
    when one frees up."""
    user = actor(request)
    event = _event(request, event_id)
    with _state("occurrence"):
        r = services.event_rsvp(
            user=user,
            event=event,
            original_start=selectors.parse_key(key),
            status=payload.status,
        )
    row = r.occurrence
    row.refresh_from_db()
    return RsvpOut(
        status=r.status,  # type: ignore[arg-type]
        waitlisted=r.waitlisted,
        going_count=row.going_count,
        waitlist_count=row.waitlist_count,
    )


def _attendance(
    request: HttpRequest, event_id: int, key: str, user_id: int, on: bool
) -> AttendanceOut:
    user = actor(request)
    event = _event(request, event_id)
    (who,) = _people([user_id], "user")
    with _state("occurrence"):
        row = services.attendance_mark(
            actor=user,
            event=event,
            original_start=selectors.parse_key(key),
            user=who,
            attended=on,
        )
    return AttendanceOut(
        user_id=who.pk, attended=on, attended_count=row.attended_count
    )


@router.put(
    "/events/{event_id}/occurrences/{key}/attendance/{user_id}",
    response={200: AttendanceOut, **problems(401, 403, 404, 409, 422)},
)
def attendance_mark(
    request: HttpRequest, event_id: int, key: str, user_id: int
) -> AttendanceOut:
    """Mark that a member attended (hosts; from an hour before)."""
    return _attendance(request, event_id, key, user_id, True)


@router.delete(
    "/events/{event_id}/occurrences/{key}/attendance/{user_id}",
    response={200: AttendanceOut, **problems(401, 403, 404, 409, 422)},
)
def attendance_unmark(
    request: HttpRequest, event_id: int, key: str, user_id: int
) -> AttendanceOut:
    """Take back an attendance mark."""
    return _attendance(request, event_id, key, user_id, False)


@router.post(
    "/events/{event_id}/occurrences/{key}/problems",
    response={201: ProblemOut, **problems(401, 403, 404, 409, 422)},
)
def problem_create(
    request: HttpRequest, event_id: int, key: str, payload: ProblemIn
) -> Status[ProblemOut]:
    """Bring a problem to a problem-solving session, optionally linked
    to a question of the community."""
    user = actor(request)
    event = _event(request, event_id)
    conversation = None
    if payload.conversation_id is not None:
        conversation = Conversation.objects.filter(
            pk=payload.conversation_id
        ).first()
        if conversation is None:
            raise ValidationError({"conversation_id": "No such conversation."})
    try:
        with _state("occurrence"):
            p = services.problem_submit(
                author=user,
                event=event,
                original_start=selectors.parse_key(key),
                title=payload.title,
                body=payload.body,
                conversation=conversation,
            )
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "conversation" in exc.error_dict:
            errors = exc.message_dict
            errors["conversation_id"] = errors.pop("conversation")
            raise ValidationError(errors) from exc
        raise
    return Status(
        201,
        ProblemOut(
            id=p.pk,
            title=p.title,
            body=p.body,
            body_html=p.body_html,
            author=person(user),
            conversation_id=p.conversation_id,
            created_at=p.created_at,
        ),
    )


@router.put(
    "/events/{event_id}/occurrences/{key}/notes",
    response={200: NotesOut, **problems(401, 403, 404, 409, 422)},
)
def notes_save(
    request: HttpRequest, event_id: int, key: str, payload: NotesIn
) -> NotesOut | None:
    """Write the notes (What? So what? Now what?) and their action items,
    replacing what was there (hosts; from an hour before the start)."""
    user = actor(request)
    event = _event(request, event_id)
    with _state("occurrence"):
        row = services.notes_save(
            actor=user,
            event=event,
            original_start=selectors.parse_key(key),
            what=payload.what,
            so_what=payload.so_what,
            now_what=payload.now_what,
            actions=[
                {
                    "text": a.text,
                    "owner": a.owner_id,
                    "due": a.due,
                    "done": a.done,
                }
                for a in payload.actions
            ],
        )
    return notes_out(row, list(row.actions.select_related("owner")))


class ArtifactRefOut(Schema):
    id: int
    title: str
    url: str


@router.post(
    "/events/{event_id}/occurrences/{key}/artifact",
    response={201: ArtifactRefOut, **problems(401, 403, 404, 409)},
)
def notes_artifact(
    request: HttpRequest, event_id: int, key: str
) -> Status[ArtifactRefOut]:
    """Turn the notes into a draft story in the repertoire, linked to
    the occurrence."""
    user = actor(request)
    event = _event(request, event_id)
    slot = selectors.slot_get(
        event=event, original_start=selectors.parse_key(key)
    )
    if slot.row is None:
        raise ValidationError(
            "Write the notes first: there is nothing to keep."
        )
    with _state("occurrence"):
        a = services.notes_to_artifact(actor=user, occurrence=slot.row)
    return Status(
        201,
        ArtifactRefOut(
            id=a.pk,
            title=a.title,
            url=reverse("repertoire:detail", args=[a.pk]),
        ),
    )


# --- rhythm and feeds --------------------------------------------------------


@router.get(
    "/communities/{slug}/rhythm",
    response={200: RhythmOut, **problems(401, 403, 404)},
)
def rhythm_get(request: HttpRequest, slug: str, days: int = 90) -> RhythmOut:
    """Rhythm health over the last ``days`` (7..365): sessions held vs
    planned, cancellations, share with notes, attendance per session
    (coordinators)."""
    user = actor(request)
    community = communities.community_get(viewer=user, slug=slug)
    access.require(user, "rhythm", community)
    days = max(7, min(days, 365))
    end = timezone.now()
    start = end - timedelta(days=days)
    h = selectors.rhythm_health(community, start=start, end=end)
    return RhythmOut(
        start=start,
        end=end,
        planned=h["planned"],
        held=h["held"],
        cancelled=h["cancelled"],
        with_notes=h["with_notes"],
        notes_share=h["notes_share"],
        attendance=[
            RhythmPointOut(start=s, attended=a, going=g)
            for s, a, g in h["attendance"]
        ],
    )


@router.post(
    "/me/calendar-feed",
    response={201: FeedOut, **problems(401)},
)
def feed_create(request: HttpRequest) -> Status[FeedOut]:
    """A new secret URL for your personal calendar feed; the previous one
    stops working."""
    user = actor(request)
    token, raw = services.feed_token_create(user=user)
    url = request.build_absolute_uri(
        reverse("events:personal_feed", args=[raw])
    )
    return Status(
        201, FeedOut(url=url, token=raw, created_at=token.created_at)
    )


@router.delete(
    "/me/calendar-feed",
    response={204: None, **problems(401)},
)
def feed_revoke(request: HttpRequest) -> Status[None]:
    """Switch your calendar feed's URL off."""
    services.feed_token_revoke(user=actor(request))
    return Status(204, None)
