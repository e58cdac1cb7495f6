"""The events walk: a coordinator schedules a weekly problem-solving
session with two seats; three members answer and the third waits; one
drops out and the third gets the seat; the host marks attendance,
writes the notes with an action item and turns them into a repertoire
draft; the .ics download is a calendar with the weekly rule."""

import re
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import get_resolver
from django.utils import timezone
from playwright.sync_api import Page, expect

from practica.accounts.models import User
from practica.communities import services as communities
from practica.communities.models import Community, Kind
from practica.events.models import Event, Occurrence, Rsvp
from practica.repertoire.models import Artifact
from tests.browser.conftest import Steps, sign_in, sign_out
from tests.factories import PASSWORD, UserFactory, member

ZONE = ZoneInfo("Europe/Berlin")  # everyone's zone, as the factory sets it
TITLE = "Press line clinic"


@dataclass
class Cast:
    community: Community
    coordinator: User
    ana: User
    ben: User
    cleo: User


@pytest.fixture
def cast(transactional_db) -> Cast:
    # Import every app's URLs and API now: on a loaded machine the live
    # server's first request would spend longer than a page's patience on
    # imports (it runs in this process, so the work is shared).
    get_resolver().url_patterns  # noqa: B018
    coordinator = UserFactory(display_name="Ines Duarte")
    community = communities.community_create(
        creator=coordinator,
        name="Press Line Maintenance",
        tagline="Keeping the presses running",
        kind=Kind.PROFESSIONAL,
    )
    return Cast(
        community,
        coordinator,
        member(community, user__display_name="Ana Lima"),
        member(community, user__display_name="Ben Okafor"),
        member(community, user__display_name="Cleo Park"),
    )


def _answer(page: Page, url: str, who: User, button: str, says: str) -> None:
    sign_in(page, who.email, PASSWORD)
    page.goto(url)
    rsvp = page.locator("#rsvp")
    rsvp.get_by_role("button", name=button, exact=True).click()
    expect(rsvp).to_contain_text(says)
    sign_out(page)


def test_weekly_session_wait_list_attendance_notes_ics(
    page: Page, steps: Steps, js_errors: list[str], cast: Cast
) -> None:
    # The session starts in 40 minutes, so members can still answer and
    # the host can already take attendance (from an hour before).
    start = (timezone.now() + timedelta(minutes=40)).astimezone(ZONE)

    sign_in(page, cast.coordinator.email, PASSWORD)
    page.goto(f"/c/{cast.community.slug}/events/")
    steps("the community calendar")
    page.get_by_role("link", name="Schedule an event").click()
    form = page.locator("form.ev-form")
    form.get_by_label("Type").select_option("problem_solving")
    form.get_by_label("Title").fill(TITLE)
    form.get_by_label("Date").fill(start.strftime("%Y-%m-%d"))
    form.get_by_label("Starts at").fill(start.strftime("%H:%M"))
    form.get_by_label("Duration (minutes)").fill("60")
    form.get_by_label("Time zone").fill("Europe/Berlin")
    form.locator("#id_repeat").select_option("weekly")
    form.get_by_label("Capacity").fill("2")
    steps("the schedule form")
    # Keyboard, as many people submit: a mouse click here first closes
    # the time zone field's suggestion list (a native popup) instead.
    form.get_by_role("button", name="Schedule").press("Enter")
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(
        page.locator(".badge", has_text="Repeats every week")
    ).to_be_visible()
    url = page.url
    event = Event.objects.get(title=TITLE)
    assert event.capacity == 2
    assert event.rrule.startswith("FREQ=WEEKLY;BYDAY=")
    sign_out(page)

    # Ana and Ben take the two seats; Cleo joins the wait list.
    _answer(page, url, cast.ana, "Going", "You are going")
    _answer(page, url, cast.ben, "Going", "You are going")
    sign_in(page, cast.cleo.email, PASSWORD)
    page.goto(url)
    expect(page.locator("#rsvp")).to_contain_text("2 going of 2 seats · full")
    page.locator("#rsvp").get_by_role(
        "button", name="Join the wait list"
    ).click()
    expect(page.locator("#rsvp")).to_contain_text("You are on the wait list")
    steps("cleo waits")
    assert Rsvp.objects.get(user=cast.cleo).waitlisted
    sign_out(page)

    # Ana cannot come after all: Cleo gets her seat without doing a thing.
    _answer(page, url, cast.ana, "Not going", "You are not going")
    sign_in(page, cast.cleo.email, PASSWORD)
    page.goto(url)
    expect(page.locator("#rsvp")).to_contain_text("You are going")
    steps("cleo promoted")
    sign_out(page)

    # The host takes attendance and writes the notes.
    sign_in(page, cast.coordinator.email, PASSWORD)
    page.goto(url)
    attendance = page.locator("#attendance")
    attendance.get_by_role(
        "button", name=re.compile("Mark attended.*Ben Okafor")
    ).click()
    expect(
        attendance.get_by_role(
            "button", name=re.compile("Attended.*Ben Okafor")
        )
    ).to_be_visible()
    attendance.get_by_role(
        "button", name=re.compile("Mark attended.*Cleo Park")
    ).click()
    expect(attendance).to_contain_text("2 attended of 2 going")
    steps("attendance")
    page.get_by_role("link", name="Write the notes").click()
    page.get_by_label("What? (what happened)").fill(
        "We traced the pressure drop to the accumulator pre-charge."
    )
    page.get_by_label("So what? (what it means for our practice)").fill(
        "Warm-oil symptoms need a warm-oil check."
    )
    page.get_by_label("Now what? (what we will do)").fill(
        "Add the check to the weekly routine."
    )
    page.get_by_label("Action 1", exact=True).fill("Update the routine")
    page.get_by_label("Owner of action 1").select_option(label="Ben Okafor")
    steps("the notes form")
    page.get_by_role("button", name="Save the notes").click()
    notes = page.locator("#notes")
    expect(notes).to_contain_text("accumulator pre-charge")
    expect(notes).to_contain_text("Update the routine — Ben Okafor")
    row = Occurrence.objects.get(event=event)
    assert (row.going_count, row.attended_count) == (2, 2)

    # The notes become a repertoire draft, linked to the session.
    notes.get_by_role(
        "button", name="Turn the notes into a repertoire draft"
    ).click()
    expect(page.locator("h1")).to_contain_text(TITLE)
    expect(page.get_by_text("Draft.", exact=False).first).to_be_visible()
    artifact = Artifact.objects.get()
    assert artifact.source_id == row.pk
    assert "Update the routine" in artifact.body
    steps("the artifact")

    # The .ics link downloads the series as a calendar.
    page.goto(url)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download .ics").click()
    path = info.value.path()
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    (vevent,) = cal.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == TITLE
    assert vevent["RRULE"]["FREQ"] == ["WEEKLY"]
    assert vevent["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert re.match(r"event-\d+@", str(vevent["UID"]))
    assert js_errors == []
