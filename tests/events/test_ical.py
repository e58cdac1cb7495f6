"""iCalendar output checked against RFC 5545 with the icalendar parser."""

import re
from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse

from practica.communities.models import Visibility
from practica.events import services
from practica.events.models import FeedToken
from tests.events.factories import event, soon
from tests.factories import member

pytestmark = pytest.mark.django_db


def check_rfc5545(body: bytes) -> icalendar.Calendar:
    """The rules a calendar client relies on, checked on the raw bytes
    and on the parsed calendar; returns the calendar."""
    assert body.endswith(b"\r\n")
    lines = body.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines)  # every line ends with CRLF
    for line in lines:
        assert len(line) <= 75, line  # folded at 75 octets
    unfolded = re.sub(rb"\r\n[ \t]", b"", body).decode()
    assert unfolded.startswith("BEGIN:VCALENDAR\r\n")
    cal = icalendar.Calendar.from_ical(body)
    assert cal.name == "VCALENDAR"
    assert cal["VERSION"] == "2.0"
    assert cal["PRODID"]
    assert cal["METHOD"] == "PUBLISH"
    zones = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    seen = set()
    for ev in cal.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART"):
            assert required in ev, required
        assert not ("DTEND" in ev and "DURATION" in ev)
        assert ev["DTSTAMP"].dt.tzinfo is not None
        rid = ev.get("RECURRENCE-ID")
        ident = (str(ev["UID"]), rid.to_ical() if rid else None)
        assert ident not in seen  # UID (and RECURRENCE-ID) unique
        seen.add(ident)
        if "DTEND" in ev:
            assert ev["DTEND"].dt > ev["DTSTART"].dt
    # Every TZID parameter names a VTIMEZONE in the calendar.
    for tzid in re.findall(r";TZID=([^:;]+)[:;]", unfolded):
        assert tzid in zones, tzid
    return cal


def test_community_feed_has_rule_exceptions_and_zones(
    client, community, coordinator
):
    weekly = event(
        community,
        coordinator,
        rrule="FREQ=WEEKLY;COUNT=6",
        description="A long description " * 20,
    )
    other = event(
        community,
        coordinator,
        title="Talk: pumps",
        time_zone="America/New_York",
        start=soon(days=4, hour=12),
    )
    starts = weekly.starts_between(
        weekly.starts_at, weekly.starts_at + timedelta(days=60)
    )
    services.occurrence_cancel(
        actor=coordinator, event=weekly, original_start=starts[1]
    )
    local = starts[2].astimezone(weekly.zone).replace(tzinfo=None)
    services.occurrence_move(
        actor=coordinator,
        event=weekly,
        original_start=starts[2],
        start=local + timedelta(hours=2),
    )
    url = reverse("events:community_feed", args=[community.slug])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = check_rfc5545(response.content)
    vevents = cal.walk("VEVENT")
    assert len(vevents) == 3  # series, its moved occurrence, the talk
    master = next(
        v for v in vevents if "RRULE" in v and "RECURRENCE-ID" not in v
    )
    assert master["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=6"
    assert master["DTSTART"].params["TZID"] == "Europe/Berlin"
    exdates = [d.dt for d in master["EXDATE"].dts]
    assert exdates == [starts[1]]
    moved = next(v for v in vevents if "RECURRENCE-ID" in v)
    assert moved["UID"] == master["UID"]
    assert moved["RECURRENCE-ID"].dt == starts[2]
    assert moved["DTSTART"].dt == starts[2] + timedelta(hours=2)
    assert moved["SEQUENCE"] >= 1
    zones = {str(z["TZID"]) for z in cal.walk("VTIMEZONE")}
    assert zones == {"Europe/Berlin", "America/New_York"}
    talk = next(v for v in vevents if v["SUMMARY"] == "Talk: pumps")
    assert talk["UID"] == f"event-{other.pk}@127.0.0.1"
    # The UID is stable from one fetch to the next.
    again = icalendar.Calendar.from_ical(client.get(url).content)
    assert sorted(str(v["UID"]) for v in again.walk("VEVENT")) == sorted(
        str(v["UID"]) for v in vevents
    )


def test_private_feed_needs_a_token_of_someone_who_may_see_it(
    client, community, coordinator, user
):
    community.visibility = Visibility.PRIVATE
    community.save()
    event(community, coordinator)
    url = reverse("events:community_feed", args=[community.slug])
    assert client.get(url).status_code == 404
    _, outsider = services.feed_token_create(user=user)
    assert client.get(url, {"token": outsider}).status_code == 404
    _, raw = services.feed_token_create(user=coordinator)
    response = client.get(url, {"token": raw})
    assert response.status_code == 200
    check_rfc5545(response.content)
    services.feed_token_revoke(user=coordinator)
    assert client.get(url, {"token": raw}).status_code == 404


def test_personal_feed_lists_what_i_am_going_to(
    client, community, coordinator
):
    e = event(community, coordinator, rrule="FREQ=DAILY;COUNT=5")
    who = member(community)
    starts = e.starts_between(e.starts_at, e.starts_at + timedelta(days=9))
    for s in starts[:2]:
        services.event_rsvp(
            user=who, event=e, original_start=s, status="going"
        )
    services.event_rsvp(
        user=who, event=e, original_start=starts[3], status="maybe"
    )
    _, raw = services.feed_token_create(user=who)
    assert FeedToken.objects.get().token_hash != raw  # only the hash
    url = reverse("events:personal_feed", args=[raw])
    cal = check_rfc5545(client.get(url).content)
    assert [v["DTSTART"].dt for v in cal.walk("VEVENT")] == starts[:2]
    # A new link replaces the old one.
    _, fresh = services.feed_token_create(user=who)
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("events:personal_feed", args=[fresh])).status_code
        == 200
    )


def test_event_file_is_a_download(client, community, coordinator):
    e = event(community, coordinator, rrule="FREQ=MONTHLY;BYDAY=2TU")
    response = client.get(reverse("events:event_file", args=[e.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    cal = check_rfc5545(response.content)
    (v,) = cal.walk("VEVENT")
    assert v["RRULE"].to_ical() == b"FREQ=MONTHLY;BYDAY=2TU"


def test_a_cancelled_one_off_event_says_so(client, community, coordinator):
    e = event(community, coordinator)
    services.occurrence_cancel(
        actor=coordinator, event=e, original_start=e.starts_at
    )
    cal = check_rfc5545(
        client.get(reverse("events:event_file", args=[e.pk])).content
    )
    (v,) = cal.walk("VEVENT")
    assert v["STATUS"] == "CANCELLED"
