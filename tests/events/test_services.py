"""Events services: what they store, what they refuse, what they record."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from practica.communities.models import Role
from practica.core.models import Activity
from practica.events import selectors, services
from practica.events.models import (
    ActionItem,
    Attendance,
    Event,
    Kind,
    Occurrence,
    Problem,
    Rsvp,
    RsvpStatus,
)
from practica.repertoire.models import Artifact
from practica.repertoire.models import Status as ArtifactStatus
from tests.conversations.factories import ask
from tests.events.factories import event, soon
from tests.factories import member

pytestmark = pytest.mark.django_db


def _first(e: Event) -> datetime:
    return e.starts_at


def _nth(e: Event, n: int) -> datetime:
    starts = e.starts_between(e.starts_at, e.starts_at + timedelta(days=400))
    return starts[n]


def _verbs() -> list[str]:
    return list(Activity.objects.order_by("id").values_list("verb", flat=True))


# --- create and update ------------------------------------------------------


def test_create_stores_a_series_in_utc_with_its_zone(community, coordinator):
    e = event(
        community,
        coordinator,
        start=datetime(2027, 3, 16, 10),  # noqa: DTZ001
        time_zone="Europe/Berlin",
        duration=90,
        rrule="FREQ=WEEKLY;COUNT=4",
        description="Bring **one** problem <script>x</script>",
        online_url="https://meet.example.org/ps",
        capacity=8,
    )
    assert e.starts_at == datetime(2027, 3, 16, 9, tzinfo=UTC)
    assert e.duration == timedelta(minutes=90)
    assert e.series_end == datetime(2027, 4, 6, 8, 0, tzinfo=UTC) + timedelta(
        minutes=90
    )  # the last one is in summer time
    assert "<strong>one</strong>" in e.description_html
    assert "<script>" not in e.description_html
    assert list(e.hosts.all()) == [coordinator]
    assert e.reminders == [1440, 60]
    assert _verbs() == ["event.created"]
    assert Activity.objects.get().community_id == community.pk
    assert Occurrence.objects.count() == 0  # nothing materialised


BAD = [
    ({"rrule": "FREQ=MINUTELY"}, "rrule"),
    ({"rrule": "FREQ=WEEKLY;BYDAY=ZZ"}, "rrule"),
    ({"end": soon(days=1)}, "end"),
    ({"time_zone": "Mars/Olympus"}, "time_zone"),
    ({"online_url": "javascript:alert(1)"}, "online_url"),
    ({"online_url": "ftp://example.org"}, "online_url"),
    ({"capacity": 0}, "capacity"),
    ({"title": "   "}, "title"),
    ({"kind": "party"}, "kind"),
    ({"reminders": [0]}, "reminders"),
    ({"duration": -5}, "duration"),
    ({"start": datetime(2027, 3, 28, 2, 30)}, "start"),  # noqa: DTZ001
]


@pytest.mark.parametrize(("bad", "field"), BAD)
def test_create_refuses_bad_input_naming_the_field(
    community, coordinator, bad, field
):
    with pytest.raises(ValidationError) as exc:
        event(community, coordinator, **bad)
    assert field in exc.value.message_dict
    assert Event.objects.count() == 0
    assert Activity.objects.count() == 0


def test_create_reports_every_mistake_at_once(community, coordinator):
    with pytest.raises(ValidationError) as exc:
        event(
            community,
            coordinator,
            title="",
            time_zone="Nowhere/Land",
            capacity="many",
        )
    assert {"title", "time_zone", "capacity"} <= set(exc.value.message_dict)


def test_hosts_must_be_members(community, coordinator, user):
    with pytest.raises(ValidationError) as exc:
        event(community, coordinator, hosts=[coordinator, user])
    assert "hosts" in exc.value.message_dict
    assert Event.objects.count() == 0


@pytest.mark.parametrize("role", [Role.NEWCOMER, None])
def test_newcomers_and_outsiders_cannot_schedule(community, user, role):
    who = member(community, role) if role else user
    with pytest.raises(PermissionDenied):
        event(community, who)
    assert Event.objects.count() == 0


def test_update_changes_only_what_is_given(community, coordinator):
    e = event(community, coordinator, capacity=5)
    services.event_update(
        actor=coordinator, event=e, title="Clinic", agenda="1. *Intro*"
    )
    e.refresh_from_db()
    assert e.title == "Clinic"
    assert e.capacity == 5
    assert "<em>Intro</em>" in e.agenda_html
    assert e.sequence == 1
    assert _verbs() == ["event.created", "event.updated"]


def test_update_refuses_capacity_below_who_is_going(community, coordinator):
    e = event(community, coordinator, capacity=5)
    for _ in range(3):
        services.event_rsvp(
            user=member(community),
            event=e,
            original_start=e.starts_at,
            status="going",
        )
    with pytest.raises(ValidationError) as exc:
        services.event_update(actor=coordinator, event=e, capacity=2)
    assert "capacity" in exc.value.message_dict
    assert "3 people are already going" in exc.value.messages[0]
    e.refresh_from_db()
    assert e.capacity == 5
    assert e.sequence == 0


def test_update_with_bad_schedule_changes_nothing(community, coordinator):
    e = event(community, coordinator, rrule="FREQ=WEEKLY")
    with pytest.raises(ValidationError) as exc:
        services.event_update(
            actor=coordinator, event=e, rrule="FREQ=SECONDLY", title="X"
        )
    assert "rrule" in exc.value.message_dict
    e.refresh_from_db()
    assert (e.rrule, e.title) == ("FREQ=WEEKLY", "Problem-solving hour")


def test_raising_capacity_seats_the_wait_list(community, coordinator):
    e = event(community, coordinator, capacity=1)
    a, b = member(community), member(community)
    for who in (a, b):
        services.event_rsvp(
            user=who, event=e, original_start=e.starts_at, status="going"
        )
    services.event_update(actor=coordinator, event=e, capacity=2)
    assert not Rsvp.objects.get(user=b).waitlisted
    row = Occurrence.objects.get()
    assert (row.going_count, row.waitlist_count) == (2, 0)


def test_a_new_time_of_day_cancels_rows_no_longer_in_the_schedule(
    community, coordinator
):
    e = event(community, coordinator, rrule="FREQ=WEEKLY")
    services.event_rsvp(
        user=member(community),
        event=e,
        original_start=_nth(e, 1),
        status="going",
    )
    services.event_update(actor=coordinator, event=e, start=soon(hour=19))
    row = Occurrence.objects.get()
    assert row.cancelled
    assert "schedule changed" in row.reason


# --- RSVP and the wait list -------------------------------------------------


def test_wait_list_then_promotion(community, coordinator):
    e = event(community, coordinator, capacity=2)
    a, b, c = (member(community) for _ in range(3))
    at = e.starts_at
    for who in (a, b, c):
        services.event_rsvp(
            user=who, event=e, original_start=at, status="going"
        )
    row = Occurrence.objects.get()
    assert (row.going_count, row.waitlist_count) == (2, 1)
    assert Rsvp.objects.get(user=c).waitlisted
    services.event_rsvp(user=a, event=e, original_start=at, status="not_going")
    row.refresh_from_db()
    assert (row.going_count, row.waitlist_count) == (2, 0)
    assert not Rsvp.objects.get(user=c).waitlisted
    promoted = Activity.objects.filter(verb="event.rsvp", actor=c).first()
    assert promoted is not None
    assert promoted.data == {
        "status": "going",
        "waitlisted": False,
        "promoted": True,
    }
    assert promoted.target_id == row.pk


def test_rsvp_activity_targets_the_occurrence(community, coordinator):
    e = event(community, coordinator)
    who = member(community)
    services.event_rsvp(
        user=who, event=e, original_start=e.starts_at, status="maybe"
    )
    a = Activity.objects.get(verb="event.rsvp")
    assert a.target_id == Occurrence.objects.get().pk
    assert a.data == {"status": "maybe", "waitlisted": False}
    assert a.community_id == community.pk


def test_changing_answers_keeps_counts_right(community, coordinator):
    e = event(community, coordinator, capacity=1)
    a, b = member(community), member(community)
    at = e.starts_at
    for status in ("going", "maybe", "going", "going", "not_going"):
        services.event_rsvp(user=a, event=e, original_start=at, status=status)
    services.event_rsvp(user=b, event=e, original_start=at, status="going")
    services.event_rsvp(user=b, event=e, original_start=at, status="maybe")
    row = Occurrence.objects.get()
    assert (row.going_count, row.maybe_count, row.waitlist_count) == (0, 1, 0)


def test_a_stale_read_never_overbooks(community, coordinator):
    """Simulated race: the caller's copy says there is room, the locked
    row says there is not; the service trusts the lock."""
    e = event(community, coordinator, capacity=1)
    a, b = member(community), member(community)
    stale = Event.objects.get(pk=e.pk)  # loaded before anyone answered
    services.event_rsvp(
        user=a, event=e, original_start=e.starts_at, status="going"
    )
    services.event_rsvp(
        user=b, event=stale, original_start=e.starts_at, status="going"
    )
    row = Occurrence.objects.get()
    assert row.going_count == 1
    assert Rsvp.objects.get(user=b).waitlisted


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "sqlite" in connection.vendor, reason="threads need a server database"
)
def test_concurrent_rsvps_never_overbook(community, coordinator):
    e = event(community, coordinator, capacity=3)
    people = [member(community) for _ in range(8)]
    barrier = threading.Barrier(len(people))
    errors: list[BaseException] = []

    def go(person):  # type: ignore[no-untyped-def]
        from django.db import connection as conn

        try:
            barrier.wait()
            services.event_rsvp(
                user=person,
                event=e,
                original_start=e.starts_at,
                status="going",
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=go, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    row = Occurrence.objects.get()
    assert row.going_count == 3
    assert row.waitlist_count == 5
    assert Rsvp.objects.filter(waitlisted=False).count() == 3


def test_rsvp_refuses_cancelled_and_past_and_unknown(community, coordinator):
    e = event(community, coordinator, rrule="FREQ=WEEKLY")
    who = member(community)
    services.occurrence_cancel(
        actor=coordinator, event=e, original_start=e.starts_at
    )
    before = Activity.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.event_rsvp(
            user=who, event=e, original_start=e.starts_at, status="going"
        )
    assert "cancelled" in exc.value.message_dict["occurrence"][0]
    with pytest.raises(ValidationError) as exc:
        services.event_rsvp(
            user=who,
            event=e,
            original_start=e.starts_at + timedelta(hours=1),
            status="going",
        )
    assert "occurrence" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.event_rsvp(
            user=who, event=e, original_start=_nth(e, 1), status="yes"
        )
    assert "status" in exc.value.message_dict
    past = event(community, coordinator, start=soon(days=-3))
    with pytest.raises(ValidationError) as exc:
        services.event_rsvp(
            user=who, event=past, original_start=past.starts_at, status="going"
        )
    assert "started" in exc.value.message_dict["occurrence"][0]
    assert Rsvp.objects.count() == 0
    assert Activity.objects.count() == before + 1  # the second event


def test_outsiders_cannot_rsvp(community, coordinator, user):
    e = event(community, coordinator)
    with pytest.raises(PermissionDenied):
        services.event_rsvp(
            user=user, event=e, original_start=e.starts_at, status="going"
        )


# --- exceptions: cancel, move, this and following ---------------------------


def test_cancel_and_restore_one_occurrence(community, coordinator):
    e = event(community, coordinator, rrule="FREQ=WEEKLY")
    second = _nth(e, 1)
    services.occurrence_cancel(
        actor=coordinator, event=e, original_start=second, reason="Holiday"
    )
    slots = selectors.window(
        viewer=coordinator,
        community=community,
        start=e.starts_at,
        end=e.starts_at + timedelta(days=21),
    )
    assert [s.cancelled for s in slots] == [False, True, False]
    assert slots[1].row.reason == "Holiday"
    with pytest.raises(ValidationError):
        services.occurrence_cancel(
            actor=coordinator, event=e, original_start=second
        )
    services.occurrence_restore(
        actor=coordinator, event=e, original_start=second
    )
    assert not Occurrence.objects.get().cancelled
    assert "occurrence.cancelled" in _verbs()


def test_only_hosts_and_curators_cancel(community, coordinator):
    e = event(community, coordinator)
    with pytest.raises(PermissionDenied):
        services.occurrence_cancel(
            actor=member(community), event=e, original_start=e.starts_at
        )
    services.occurrence_cancel(
        actor=member(community, Role.CORE),
        event=e,
        original_start=e.starts_at,
    )


def test_move_one_occurrence(community, coordinator):
    e = event(community, coordinator, rrule="FREQ=WEEKLY", duration=60)
    second = _nth(e, 1)
    local = second.astimezone(e.zone).replace(tzinfo=None)
    row = services.occurrence_move(
        actor=coordinator,
        event=e,
        original_start=second,
        start=local + timedelta(days=1, hours=1),
    )
    assert row.starts_at == second + timedelta(days=1, hours=1)
    assert row.ends_at - row.starts_at == timedelta(hours=1)
    slots = selectors.window(
        viewer=coordinator,
        community=community,
        start=e.starts_at,
        end=e.starts_at + timedelta(days=21),
    )
    assert [s.moved for s in slots] == [False, True, False]
    assert slots[1].starts_at == row.starts_at
    # Moved out of a window, it leaves it; moved in, it enters.
    narrow = selectors.window(
        viewer=coordinator,
        community=community,
        start=second,
        end=second + timedelta(hours=2),
    )
    assert narrow == []
    assert _verbs()[-1] == "occurrence.moved"


def test_move_refuses_past_and_end_before_start(community, coordinator):
    e = event(community, coordinator, rrule="FREQ=WEEKLY")
    with pytest.raises(ValidationError) as exc:
        services.occurrence_move(
            actor=coordinator,
            event=e,
            original_start=e.starts_at,
            start=soon(days=-1),
        )
    assert "start" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.occurrence_move(
            actor=coordinator,
            event=e,
            original_start=e.starts_at,
            start=soon(days=3),
            end=soon(days=3, hour=17),
        )
    assert "end" in exc.value.message_dict
    assert Occurrence.objects.count() == 0


def test_this_and_following_splits_the_series(community, coordinator):
    e = event(community, coordinator, rrule="FREQ=WEEKLY;COUNT=6")
    third = _nth(e, 2)
    fourth = _nth(e, 3)
    keeper = member(community)
    services.event_rsvp(
        user=keeper, event=e, original_start=fourth, status="going"
    )
    new = services.event_split(
        actor=coordinator,
        event=e,
        original_start=third,
        title="Clinic (new room)",
        location="Room 4",
    )
    e.refresh_from_db()
    assert "UNTIL=" in e.rrule and "COUNT" not in e.rrule
    assert len(e.starts_between(e.starts_at, third + timedelta(days=99))) == 2
    assert new.starts_at == third
    assert new.rrule == "FREQ=WEEKLY;COUNT=4"
    assert new.previous == e
    assert new.location == "Room 4"
    # The RSVP on a later date follows the new series.
    assert Occurrence.objects.get().event == new
    assert "event.split" in _verbs()
    slots = selectors.window(
        viewer=coordinator,
        community=community,
        start=e.starts_at,
        end=e.starts_at + timedelta(days=60),
    )
    assert len(slots) == 6
    assert [s.event.pk for s in slots] == [e.pk] * 2 + [new.pk] * 4


def test_split_refuses_the_first_date_and_bad_changes(community, coordinator):
    e = event(community, coordinator, rrule="FREQ=WEEKLY")
    with pytest.raises(ValidationError):
        services.event_split(
            actor=coordinator, event=e, original_start=e.starts_at
        )
    with pytest.raises(ValidationError) as exc:
        services.event_split(
            actor=coordinator,
            event=e,
            original_start=_nth(e, 1),
            time_zone="Atlantis/Capital",
        )
    assert "time_zone" in exc.value.message_dict
    e.refresh_from_db()
    assert e.rrule == "FREQ=WEEKLY"
    assert Event.objects.count() == 1


# --- attendance, problems, notes, artifact ----------------------------------


def test_attendance_by_hosts_after_the_start(community, coordinator):
    past = event(community, coordinator, start=soon(days=-2))
    who = member(community)
    services.attendance_mark(
        actor=coordinator, event=past, original_start=past.starts_at, user=who
    )
    services.attendance_mark(  # twice is harmless
        actor=coordinator, event=past, original_start=past.starts_at, user=who
    )
    assert Occurrence.objects.get().attended_count == 1
    a = Activity.objects.get(verb="occurrence.attended")
    assert (a.actor, a.data["user"]) == (coordinator, who.pk)
    assert selectors.attended(who, community) == 1
    with pytest.raises(PermissionDenied):
        services.attendance_mark(
            actor=who, event=past, original_start=past.starts_at, user=who
        )
    future = event(community, coordinator, start=soon(days=5))
    with pytest.raises(ValidationError) as exc:
        services.attendance_mark(
            actor=coordinator,
            event=future,
            original_start=future.starts_at,
            user=who,
        )
    assert "occurrence" in exc.value.message_dict
    services.attendance_mark(
        actor=coordinator,
        event=past,
        original_start=past.starts_at,
        user=who,
        attended=False,
    )
    assert Attendance.objects.count() == 0


def test_problems_for_problem_solving_sessions(community, coordinator):
    e = event(community, coordinator)
    who = member(community)
    q = ask(community=community, author=who)
    p = services.problem_submit(
        author=who,
        event=e,
        original_start=e.starts_at,
        title="Pump cavitation",
        body="It *hums*.",
        conversation=q,
    )
    assert p.conversation == q
    assert "<em>hums</em>" in p.body_html
    assert Activity.objects.filter(verb="event.problem").get().target_id == (
        p.pk
    )
    talk = event(community, coordinator, kind=Kind.GUEST_TALK)
    with pytest.raises(ValidationError):
        services.problem_submit(
            author=who, event=talk, original_start=talk.starts_at, title="x"
        )
    with pytest.raises(ValidationError) as exc:
        services.problem_submit(
            author=who, event=e, original_start=e.starts_at, title=""
        )
    assert "title" in exc.value.message_dict
    assert Problem.objects.count() == 1


def test_notes_with_actions_become_a_draft_artifact(community, coordinator):
    past = event(community, coordinator, start=soon(days=-1), title="Clinic")
    owner = member(community)
    row = services.notes_save(
        actor=coordinator,
        event=past,
        original_start=past.starts_at,
        what="We looked at **three** pumps.",
        so_what="Cavitation is our most common failure.",
        now_what="Write a checklist.",
        actions=[
            {
                "text": "Draft the checklist",
                "owner": owner.pk,
                "due": "2027-01-31",
            },
            {"text": "", "owner": None},  # empty rows are skipped
        ],
    )
    assert "<strong>three</strong>" in row.what_html
    assert [a.text for a in ActionItem.objects.all()] == [
        "Draft the checklist"
    ]
    assert ActionItem.objects.get().owner == owner
    assert _verbs()[-1] == "occurrence.notes"
    artifact = services.notes_to_artifact(actor=coordinator, occurrence=row)
    assert artifact.status == ArtifactStatus.DRAFT
    assert artifact.source_id == row.pk
    assert artifact.source_title.startswith("Clinic, ")
    assert "Draft the checklist" in artifact.body
    row.refresh_from_db()
    assert row.artifact == artifact
    with pytest.raises(ValidationError):
        services.notes_to_artifact(actor=coordinator, occurrence=row)
    assert Artifact.objects.count() == 1


def test_notes_refuse_empty_what_and_outside_owners(community, coordinator):
    past = event(community, coordinator, start=soon(days=-1))
    with pytest.raises(ValidationError) as exc:
        services.notes_save(
            actor=coordinator,
            event=past,
            original_start=past.starts_at,
            what="",
            actions=[{"text": "x", "owner": 999999}],
        )
    assert {"what", "actions"} <= set(exc.value.message_dict)
    assert Occurrence.objects.count() == 0


# --- selectors --------------------------------------------------------------


def test_upcoming_next_and_rhythm(community, coordinator):
    # Three weeks back less a day: the fourth date is tomorrow whatever the
    # hour the test runs at (from -21 it was today, already begun after
    # 18:00 in the event's zone).
    weekly = event(
        community,
        coordinator,
        start=soon(days=-20),
        rrule="FREQ=WEEKLY",
        capacity=10,
    )
    who = member(community)
    starts = weekly.starts_between(
        weekly.starts_at, weekly.starts_at + timedelta(days=50)
    )
    past, future = starts[:3], starts[3:]
    services.occurrence_cancel(
        actor=coordinator, event=weekly, original_start=future[1]
    )
    services.event_rsvp(
        user=who, event=weekly, original_start=future[0], status="going"
    )
    services.notes_save(
        actor=coordinator, event=weekly, original_start=past[0], what="Good."
    )
    services.attendance_mark(
        actor=coordinator, event=weekly, original_start=past[0], user=who
    )
    now = timezone.now()
    mine = selectors.upcoming_for(who, start=now, end=now + timedelta(days=30))
    assert [s.original_start for s in mine] == [future[0]]
    nxt = selectors.next_sessions(who, community, limit=3)
    assert len(nxt) == 3
    assert future[1] not in [s.original_start for s in nxt]  # cancelled
    assert nxt[0].mine is not None
    health = selectors.rhythm_health(
        community, start=weekly.starts_at, end=future[2] + timedelta(hours=1)
    )
    assert health["planned"] == 5  # three held, two to come
    assert health["held"] == 3
    assert health["cancelled"] == 1
    assert health["with_notes"] == 1
    assert health["notes_share"] == pytest.approx(1 / 3)
    assert health["attendance"][0] == (past[0], 1, 0)
    assert len(health["attendance"]) == 3


def test_upcoming_forgets_communities_one_can_no_longer_see(
    community, coordinator
):
    from practica.communities.models import Visibility

    e = event(community, coordinator)
    who = member(community)
    services.event_rsvp(
        user=who, event=e, original_start=e.starts_at, status="going"
    )
    community.visibility = Visibility.PRIVATE
    community.save()
    who.memberships.update(status="left")
    from practica import access

    access.forget(who)
    now = timezone.now()
    assert selectors.upcoming_for(who, start=now, end=now + timedelta(9)) == []


def test_window_is_bounded(community, coordinator):
    now = timezone.now()
    with pytest.raises(ValidationError):
        selectors.window(
            viewer=coordinator,
            community=community,
            start=now,
            end=now + timedelta(days=500),
        )


def test_rsvp_counts_stay_per_occurrence(community, coordinator):
    e = event(community, coordinator, rrule="FREQ=DAILY", capacity=1)
    who = member(community)
    for n in range(3):
        services.event_rsvp(
            user=who, event=e, original_start=_nth(e, n), status="going"
        )
    assert Occurrence.objects.count() == 3
    assert Rsvp.objects.filter(status=RsvpStatus.GOING).count() == 3
