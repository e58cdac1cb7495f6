"""The events API: the same rules as the pages, problem+json errors."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from practica.communities.models import Role, Visibility
from practica.events import selectors, services
from practica.events.models import Event, Occurrence
from tests.api.conftest import Api, ok, problem
from tests.conversations.factories import ask
from tests.events.factories import event, soon
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client: Client) -> Api:
    return Api(client)


def _occ(e: Event, start, tail: str = "") -> str:  # type: ignore[no-untyped-def]
    return f"/events/{e.pk}/occurrences/{selectors.key(start)}{tail}"


def test_create_list_get_update(api, community, coordinator):
    body = {
        "kind": "problem_solving",
        "title": "Thursday clinic",
        "time_zone": "America/New_York",
        "start": soon(days=3).isoformat(),
        "duration_minutes": 90,
        "rrule": "FREQ=WEEKLY;COUNT=8",
        "capacity": 2,
    }
    created = ok(
        api.post(
            f"/communities/{community.slug}/events", body, user=coordinator
        ),
        201,
    )
    assert created["rrule"] == "FREQ=WEEKLY;COUNT=8"
    assert created["repeats"].startswith("every week")
    assert created["hosts"] == [
        {"id": coordinator.pk, "name": coordinator.name}
    ]
    assert created["start"].startswith(soon(days=3).isoformat()[:16])
    listed = ok(api.get(f"/communities/{community.slug}/events"))
    assert [e["id"] for e in listed["items"]] == [created["id"]]
    assert listed["next_cursor"] is None
    patched = ok(
        api.patch(
            f"/events/{created['id']}",
            {"title": "Clinic", "capacity": None},
            user=coordinator,
        )
    )
    assert (patched["title"], patched["capacity"]) == ("Clinic", None)
    assert patched["duration_minutes"] == 90


def test_bad_input_is_422_naming_fields(api, community, coordinator):
    body = {
        "title": "",
        "time_zone": "Nowhere/Else",
        "start": soon().isoformat(),
        "rrule": "FREQ=MINUTELY",
        "online_url": "javascript:x",
    }
    r = api.post(
        f"/communities/{community.slug}/events", body, user=coordinator
    )
    problem(r, 422, "title", "time_zone", "rrule", "online_url")
    assert Event.objects.count() == 0


def test_newcomer_is_403_anonymous_401(api, community):
    body = {"title": "x", "time_zone": "UTC", "start": soon().isoformat()}
    path = f"/communities/{community.slug}/events"
    problem(api.post(path, body), 401)
    problem(api.post(path, body, user=member(community, Role.NEWCOMER)), 403)


def test_window_rsvp_wait_list_and_promotion(api, community, coordinator):
    e = event(community, coordinator, capacity=1, rrule="FREQ=WEEKLY")
    a, b = member(community), member(community)
    first = ok(
        api.put(_occ(e, e.starts_at, "/rsvp"), {"status": "going"}, user=a)
    )
    assert first == {
        "status": "going",
        "waitlisted": False,
        "going_count": 1,
        "waitlist_count": 0,
    }
    second = ok(
        api.put(_occ(e, e.starts_at, "/rsvp"), {"status": "going"}, user=b)
    )
    assert second["waitlisted"] is True
    ok(api.put(_occ(e, e.starts_at, "/rsvp"), {"status": "not_going"}, user=a))
    detail = ok(api.get(_occ(e, e.starts_at), user=b))
    assert [p["id"] for p in detail["going"]] == [b.pk]
    assert detail["waiting"] == []
    assert detail["mine"] == {"status": "going", "waitlisted": False}
    now = timezone.now()
    window = ok(
        api.get(
            f"/communities/{community.slug}/occurrences",
            start=now.isoformat(),
            end=(now + timedelta(days=22)).isoformat(),
        )
    )
    assert len(window) == 3
    assert window[0]["going_count"] == 1
    mine = ok(api.get("/me/occurrences", user=b))
    assert [m["key"] for m in mine] == [selectors.key(e.starts_at)]
    too_long = api.get(
        f"/communities/{community.slug}/occurrences",
        start=now.isoformat(),
        end=(now + timedelta(days=900)).isoformat(),
    )
    problem(too_long, 422, "end")


def test_rsvp_to_cancelled_is_409(api, community, coordinator):
    e = event(community, coordinator)
    ok(api.post(_occ(e, e.starts_at, "/cancel"), {"reason": "Ill"},
                user=coordinator))  # fmt: skip
    r = api.put(
        _occ(e, e.starts_at, "/rsvp"),
        {"status": "going"},
        user=member(community),
    )
    body = problem(r, 409)
    assert "cancelled" in body["detail"]
    problem(api.post(_occ(e, e.starts_at, "/cancel"), {}, user=coordinator),
            409)  # fmt: skip
    ok(api.post(_occ(e, e.starts_at, "/restore"), user=coordinator))
    assert not Occurrence.objects.get().cancelled


def test_move_split_attendance_problems_notes_artifact(
    api, community, coordinator
):
    e = event(community, coordinator, rrule="FREQ=WEEKLY")
    starts = e.starts_between(e.starts_at, e.starts_at + timedelta(days=30))
    local = starts[1].astimezone(e.zone).replace(tzinfo=None)
    moved = ok(
        api.post(
            _occ(e, starts[1], "/move"),
            {"start": (local + timedelta(hours=2)).isoformat()},
            user=coordinator,
        )
    )
    assert moved["moved"] is True
    new = ok(
        api.post(
            f"/events/{e.pk}/split",
            {"from_key": selectors.key(starts[2]), "location": "Room 2"},
            user=coordinator,
        ),
        201,
    )
    assert new["previous_id"] == e.pk
    assert new["location"] == "Room 2"
    who = member(community)
    q = ask(community=community, author=who)
    p = ok(
        api.post(
            _occ(e, e.starts_at, "/problems"),
            {"title": "Seals", "conversation_id": q.pk},
            user=who,
        ),
        201,
    )
    assert p["conversation_id"] == q.pk
    problem(
        api.post(
            _occ(e, e.starts_at, "/problems"),
            {"title": "X", "conversation_id": 99999},
            user=who,
        ),
        422,
        "conversation_id",
    )
    past = event(community, coordinator, start=soon(days=-1))
    marked = ok(
        api.put(_occ(past, past.starts_at, f"/attendance/{who.pk}"),
                user=coordinator)
    )  # fmt: skip
    assert marked == {"user_id": who.pk, "attended": True, "attended_count": 1}
    problem(
        api.put(_occ(past, past.starts_at, f"/attendance/{who.pk}"), user=who),
        403,
    )
    notes = ok(
        api.put(
            _occ(past, past.starts_at, "/notes"),
            {
                "what": "We met.",
                "actions": [
                    {
                        "text": "Write up",
                        "owner_id": who.pk,
                        "due": "2027-01-02",
                    }
                ],
            },
            user=coordinator,
        )
    )
    assert notes["actions"][0]["owner"]["id"] == who.pk
    art = ok(
        api.post(_occ(past, past.starts_at, "/artifact"), user=coordinator),
        201,
    )
    assert art["url"] == f"/r/{art['id']}/"
    problem(
        api.post(_occ(past, past.starts_at, "/artifact"), user=coordinator),
        409,
    )


def test_rhythm_for_coordinators(api, community, coordinator):
    e = event(
        community, coordinator, start=soon(days=-15), rrule="FREQ=WEEKLY"
    )
    services.notes_save(
        actor=coordinator, event=e, original_start=e.starts_at, what="Ok"
    )
    path = f"/communities/{community.slug}/rhythm"
    problem(api.get(path, user=member(community)), 403)
    body = ok(api.get(path, user=coordinator, days=30))
    assert (body["held"], body["with_notes"]) == (3, 1)
    assert len(body["attendance"]) == 3


def test_feed_token_create_and_revoke(api, client, community, coordinator):
    community.visibility = Visibility.PRIVATE
    community.save()
    made = ok(api.post("/me/calendar-feed", user=coordinator), 201)
    assert made["url"].endswith(f"/events/feed/{made['token']}.ics")
    assert client.get(made["url"]).status_code == 200
    ok(api.delete("/me/calendar-feed", user=coordinator), 204)
    assert client.get(made["url"]).status_code == 404


def test_private_event_is_404_for_outsiders(api, community, coordinator, user):
    community.visibility = Visibility.PRIVATE
    community.save()
    e = event(community, coordinator)
    problem(api.get(f"/events/{e.pk}", user=user), 404)
    problem(api.get(_occ(e, e.starts_at), user=user), 404)


def test_event_list_pages_by_cursor(
    api, community, coordinator, settings, django_assert_max_num_queries
):
    settings.PRACTICA_PAGE_SIZE = 2
    made = [
        event(community, coordinator, title=f"Talk {n}", start=soon(days=n))
        for n in range(1, 6)
    ]
    path = f"/communities/{community.slug}/events"
    seen, cursor, pages = [], None, 0
    while True:
        with django_assert_max_num_queries(3):  # community, page, hosts
            page = ok(api.get(path + (f"?cursor={cursor}" if cursor else "")))
        seen += [e["title"] for e in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [e.title for e in made]
    assert pages == 3
    problem(api.get(path + "?cursor=bm90LWEtY3Vyc29y"), 422, "cursor")
