"""Event pages: what they show, what they refuse, how many queries."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from practica.communities.models import Role, Visibility
from practica.events import selectors, services
from practica.events.forms import build_rule
from practica.events.models import ActionItem, Event, Occurrence, Rsvp
from tests.events.factories import event, soon
from tests.factories import PASSWORD, member

pytestmark = pytest.mark.django_db


def _login(client, who) -> None:  # type: ignore[no-untyped-def]
    assert client.login(email=who.email, password=PASSWORD)


def _occ_url(e: Event, start: datetime, name: str = "occurrence") -> str:
    return reverse(f"events:{name}", args=[e.pk, selectors.key(start)])


def test_month_and_agenda_in_a_fixed_number_of_queries(
    client, community, coordinator, django_assert_max_num_queries
):
    # A daily rule running for years, and a few other series.
    event(
        community,
        coordinator,
        title="Daily stand-up",
        start=datetime(2021, 1, 4, 9),  # noqa: DTZ001
        rrule="FREQ=DAILY",
    )
    for n in range(5):
        e = event(
            community,
            coordinator,
            title=f"Weekly {n}",
            rrule="FREQ=WEEKLY",
            capacity=5,
        )
        services.event_rsvp(
            user=coordinator,
            event=e,
            original_start=e.starts_at,
            status="going",
        )
    _login(client, coordinator)
    url = reverse("events:calendar", args=[community.slug])
    with django_assert_max_num_queries(12):
        month = client.get(url)
    assert month.status_code == 200
    assert month.content.count(b"Daily stand-up") >= 28
    with django_assert_max_num_queries(12):
        agenda = client.get(url, {"view": "agenda"})
    assert agenda.content.count(b"Daily stand-up") == 42
    assert b"Going" in agenda.content
    # Occurrence rows exist only for the five answered dates.
    assert Occurrence.objects.count() == 5
    # Another month, as an htmx fragment.
    fragment = client.get(
        url, {"month": "2030-02"}, headers={"HX-Request": "true"}
    )
    assert b"<html" not in fragment.content
    assert b"February 2030" in fragment.content
    assert fragment.content.count(b"Daily stand-up") >= 28


def test_my_calendar_lists_my_communities(
    client, community, coordinator, django_assert_max_num_queries
):
    event(community, coordinator, title="Clinic")
    other = member(community)
    _login(client, other)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("events:mine"), {"view": "agenda"})
    assert b"Clinic" in response.content


def test_private_calendar_is_hidden(client, community, coordinator, user):
    community.visibility = Visibility.PRIVATE
    community.save()
    e = event(community, coordinator)
    _login(client, user)
    url = reverse("events:calendar", args=[community.slug])
    assert client.get(url).status_code == 404
    assert client.get(_occ_url(e, e.starts_at)).status_code == 404


def test_occurrence_page_and_htmx_rsvp_with_wait_list(
    client, community, coordinator, django_assert_max_num_queries
):
    e = event(community, coordinator, capacity=1)
    first, second = member(community), member(community)
    services.event_rsvp(
        user=first, event=e, original_start=e.starts_at, status="going"
    )
    _login(client, second)
    page = _occ_url(e, e.starts_at)
    with django_assert_max_num_queries(20):
        response = client.get(page)
    assert b"Join the wait list" in response.content
    response = client.post(
        _occ_url(e, e.starts_at, "rsvp"),
        {"status": "going"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"You are on the wait list" in response.content
    assert Rsvp.objects.get(user=second).waitlisted
    # Without htmx, a redirect back with a message.
    response = client.post(
        _occ_url(e, e.starts_at, "rsvp"), {"status": "nope"}
    )
    assert response.status_code == 302


def test_rsvp_to_a_cancelled_occurrence_says_why(
    client, community, coordinator
):
    e = event(community, coordinator)
    services.occurrence_cancel(
        actor=coordinator, event=e, original_start=e.starts_at
    )
    _login(client, member(community))
    response = client.post(
        _occ_url(e, e.starts_at, "rsvp"),
        {"status": "going"},
        headers={"HX-Request": "true"},
    )
    assert b"This occurrence is cancelled" in response.content
    assert Rsvp.objects.count() == 0


def test_unknown_occurrence_is_404(client, community, coordinator):
    e = event(community, coordinator)
    bad = e.starts_at + timedelta(minutes=7)
    assert client.get(_occ_url(e, bad)).status_code == 404
    assert (
        client.get(
            reverse("events:occurrence", args=[e.pk, "yesterday"])
        ).status_code
        == 404
    )


def test_create_with_friendly_recurrence(client, community, coordinator):
    _login(client, coordinator)
    url = reverse("events:create", args=[community.slug])
    assert client.get(url).status_code == 200
    day = soon(days=3).date()
    response = client.post(
        url,
        {
            "kind": "problem_solving",
            "title": "Thursday clinic",
            "start_date": day.isoformat(),
            "start_time": "17:30",
            "duration": "90",
            "time_zone": "Europe/Berlin",
            "repeat": "weekly",
            "repeat_count": "10",
            "capacity": "12",
            "reminders": "1440, 60",
        },
    )
    assert response.status_code == 302
    e = Event.objects.get()
    assert e.rrule == build_rule("weekly", day, until=None, count=10)
    assert e.local_start.hour == 17
    assert e.capacity == 12
    assert list(e.hosts.all()) == [coordinator]


def test_create_shows_errors_beside_fields(client, community, coordinator):
    _login(client, coordinator)
    response = client.post(
        reverse("events:create", args=[community.slug]),
        {
            "kind": "workshop",
            "title": "Bad",
            "start_date": soon().date().isoformat(),
            "start_time": "10:00",
            "duration": "60",
            "time_zone": "Moon/Base",
            "repeat": "custom",
            "rrule": "FREQ=MINUTELY",
        },
    )
    assert response.status_code == 200
    assert b"is not a time zone we know" in response.content
    assert b"events repeat at most daily" in response.content
    assert Event.objects.count() == 0


def test_newcomer_cannot_schedule(client, community):
    _login(client, member(community, Role.NEWCOMER))
    response = client.get(reverse("events:create", args=[community.slug]))
    assert response.status_code == 403
    assert b"Newcomers cannot schedule" in response.content


def test_host_cancels_moves_and_splits(client, community, coordinator):
    e = event(community, coordinator, rrule="FREQ=WEEKLY")
    starts = e.starts_between(e.starts_at, e.starts_at + timedelta(days=30))
    _login(client, coordinator)
    r = client.post(_occ_url(e, starts[1], "cancel"), {"reason": "Holiday"})
    assert r.status_code == 302
    local = starts[2].astimezone(e.zone) + timedelta(days=1)
    r = client.post(
        _occ_url(e, starts[2], "move"),
        {
            "start_date": local.date().isoformat(),
            "start_time": local.strftime("%H:%M"),
        },
    )
    assert r.status_code == 302
    page = client.get(_occ_url(e, starts[2]))
    assert b"Moved" in page.content
    edit = (
        reverse("events:edit", args=[e.pk])
        + "?from="
        + selectors.key(starts[3])
    )
    form = client.get(edit)
    assert b"Change this and following" in form.content
    local3 = starts[3].astimezone(e.zone)
    r = client.post(
        edit,
        {
            "kind": e.kind,
            "title": "Clinic, new room",
            "start_date": local3.date().isoformat(),
            "start_time": local3.strftime("%H:%M"),
            "duration": "60",
            "time_zone": e.time_zone,
            "repeat": "custom",
            "rrule": "FREQ=WEEKLY",
            "hosts": [coordinator.pk],
        },
    )
    assert r.status_code == 302, r.content
    assert Event.objects.count() == 2
    assert Event.objects.get(previous=e).title == "Clinic, new room"


def test_members_cannot_use_host_pages(client, community, coordinator):
    e = event(community, coordinator)
    _login(client, member(community))
    assert client.get(_occ_url(e, e.starts_at, "cancel")).status_code == 403
    assert client.get(reverse("events:edit", args=[e.pk])).status_code == 403


def test_attendance_notes_and_artifact(client, community, coordinator):
    e = event(community, coordinator, start=soon(days=-1), title="Clinic")
    who = member(community)
    _login(client, coordinator)
    r = client.post(
        _occ_url(e, e.starts_at, "attendance"),
        {"user": who.pk},
        headers={"HX-Request": "true"},
    )
    assert b"1 attended" in r.content
    notes = _occ_url(e, e.starts_at, "notes")
    assert client.get(notes).status_code == 200
    r = client.post(
        notes,
        {
            "what": "",
            "action-0-text": "Write it up",
            "action-0-owner": str(who.pk),
        },
    )
    assert r.status_code == 200
    assert b"What is required" in r.content or b"is required" in r.content
    assert b"Write it up" in r.content  # what was typed stays
    r = client.post(
        notes,
        {
            "what": "We fixed the pump.",
            "so_what": "Check seals first.",
            "now_what": "A checklist.",
            "action-0-text": "Write it up",
            "action-0-owner": str(who.pk),
            "action-0-due": "2027-02-01",
        },
    )
    assert r.status_code == 302
    assert ActionItem.objects.get().owner == who
    page = client.get(_occ_url(e, e.starts_at))
    assert b"We fixed the pump." in page.content
    r = client.post(_occ_url(e, e.starts_at, "artifact"))
    assert r.status_code == 302
    assert "/r/" in r["Location"]
    # The draft links back to the session it came from, and invites a
    # value story citing it.
    artifact = client.get(r["Location"]).content.decode()
    assert f'href="{_occ_url(e, e.starts_at)}"' in artifact
    assert "Tell a value story about this" in artifact


def test_problem_form(client, community, coordinator):
    e = event(community, coordinator)
    _login(client, member(community))
    r = client.post(
        _occ_url(e, e.starts_at, "problem"),
        {"title": "Seals leak", "question": "/q/999999/"},
    )
    assert r.status_code == 400
    assert b"There is no question #999999" in r.content
    r = client.post(
        _occ_url(e, e.starts_at, "problem"), {"title": "Seals leak"}
    )
    assert r.status_code == 302
    assert b"Seals leak" in client.get(_occ_url(e, e.starts_at)).content


def test_rhythm_page_for_coordinators_only(client, community, coordinator):
    e = event(
        community, coordinator, start=soon(days=-10), rrule="FREQ=WEEKLY"
    )
    services.notes_save(
        actor=coordinator, event=e, original_start=e.starts_at, what="Ok"
    )
    url = reverse("events:rhythm", args=[community.slug])
    _login(client, member(community))
    assert client.get(url).status_code == 403
    _login(client, coordinator)
    r = client.get(url)
    assert r.status_code == 200
    assert b"50 %" in r.content  # one of two held sessions has notes


def test_feed_token_page_shows_the_links_once(client, community, coordinator):
    _login(client, coordinator)
    r = client.post(reverse("events:feed_token"))
    assert r.status_code == 200
    assert b"/events/feed/prf_" in r.content
    assert f"/c/{community.slug}/events/feed.ics?token=prf_".encode() in (
        r.content
    )
    mine = client.get(reverse("events:mine"))
    assert b"/events/feed/prf_" not in mine.content
    r = client.post(reverse("events:feed_token"), {"action": "revoke"})
    assert r.status_code == 302


def test_event_address_goes_to_the_next_date(client, community, coordinator):
    e = event(
        community, coordinator, start=soon(days=-20), rrule="FREQ=WEEKLY"
    )
    r = client.get(reverse("events:detail", args=[e.pk]))
    nxt = e.starts_between(timezone.now(), timezone.now() + timedelta(8))[0]
    assert r["Location"] == _occ_url(e, nxt)
    assert nxt > datetime.now(UTC)


def test_next_sessions_include_renders_for_the_community_page(
    rf, community, coordinator, django_assert_max_num_queries
):
    from django.template.loader import render_to_string

    e = event(community, coordinator, title="Clinic", rrule="FREQ=WEEKLY")
    services.occurrence_cancel(
        actor=coordinator, event=e, original_start=e.starts_at
    )
    request = rf.get("/")
    request.user = coordinator
    with django_assert_max_num_queries(4):
        upcoming = selectors.next_sessions(coordinator, community)
    html = render_to_string(
        "events/_next_sessions.html",
        {"community": community, "next_sessions": upcoming},
        request=request,
    )
    assert html.count("Clinic") == 3  # the cancelled first one is skipped
    assert selectors.key(e.starts_at) not in html
    assert reverse("events:calendar", args=[community.slug]) in html


def test_public_calendar_for_anonymous_visitors(
    client, community, coordinator
):
    e = event(community, coordinator, title="Open talk", kind="guest_talk")
    r = client.get(reverse("events:calendar", args=[community.slug]))
    assert r.status_code == 200
    assert b"Open talk" in r.content
    page = client.get(_occ_url(e, e.starts_at))
    assert b"Sign in</a> to say whether you are coming" in page.content
