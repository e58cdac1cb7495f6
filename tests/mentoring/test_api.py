"""The mentoring router: offers, requests, the board, matches and their
answers, mentorships, pathways and the refusals that change nothing."""

import pytest

from practica.communities.models import Role
from practica.mentoring.models import HelpRequest, Match, RequestState
from tests.api.conftest import Api, ok, problem
from tests.factories import member
from tests.mentoring.factories import helper, need, offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    return Api(client)


@pytest.fixture
def expert(community):
    return helper(community, {"Terraform": 5})


@pytest.fixture
def newcomer(community):
    return member(community, Role.NEWCOMER)


WINDOWS = [{"day": 0, "start": "09:00", "end": "12:00"}]


def test_offer_and_request_then_match_and_mentorship(
    api, community, coordinator, expert, newcomer
):
    slug = community.slug
    o = ok(
        api.put(
            f"/communities/{slug}/help/offer",
            {
                "skills": ["terraform"],
                "formats": ["mentor", "pair"],
                "capacity": 2,
                "windows": WINDOWS,
            },
            user=expert,
        )
    )
    assert o["skills"][0]["name"] == "Terraform"
    assert o["time_zone"] == "Europe/Berlin"
    r = ok(
        api.post(
            f"/communities/{slug}/help/requests",
            {
                "title": "First module",
                "need": "I want to write my first module.",
                "skills": ["terraform"],
                "format": "mentor",
                "windows": WINDOWS,
            },
            user=newcomer,
        ),
        201,
    )
    board = ok(api.get(f"/communities/{slug}/help/board", user=coordinator))
    assert board[0]["suggested"]["offer_id"] == o["id"]
    assert "expert in Terraform" in board[0]["suggested"]["reasons"]
    problem(api.get(f"/communities/{slug}/help/board", user=expert), 403)
    m = ok(
        api.post(
            "/help/matches",
            {"offer_id": o["id"], "request_id": r["id"]},
            user=coordinator,
        ),
        201,
    )
    assert m["state"] == "proposed" and m["reasons"]
    ok(api.post(f"/help/matches/{m['id']}/accept", user=expert))
    m = ok(api.post(f"/help/matches/{m['id']}/accept", user=newcomer))
    assert m["state"] == "accepted" and m["mentorship_id"]
    ms = m["mentorship_id"]
    c = ok(
        api.post(
            f"/mentorships/{ms}/checkins",
            {"summary": "Went well"},
            user=expert,
        ),
        201,
    )
    assert c["done_at"]
    ok(
        api.post(
            f"/mentorships/{ms}/notes",
            {"body": "Mine only", "private": True},
            user=expert,
        ),
        201,
    )
    seen = ok(api.get(f"/mentorships/{ms}", user=newcomer))
    assert seen["notes"] == []
    assert len(seen["checkins"]) == 2
    ended = ok(
        api.post(f"/mentorships/{ms}/end", {"rating": 5}, user=newcomer)
    )
    assert ended["state"] == "ended"
    ok(api.post(f"/mentorships/{ms}/feedback", {"rating": 4}, user=expert))
    load = ok(api.get(f"/communities/{slug}/help/load", user=coordinator))
    assert load[0]["person_id"] == expert.pk
    mine = ok(api.get("/me/help", user=newcomer))
    assert mine["requests"][0]["id"] == r["id"]


def test_refusals_change_nothing(api, community, coordinator, expert):
    o = offer(expert, community, capacity=1)
    own = need(expert, community)
    body = problem(
        api.post(
            "/help/matches",
            {"offer_id": o.pk, "request_id": own.pk},
            user=coordinator,
        ),
        422,
        "offer",
    )
    assert "themselves" in body["detail"]
    first = need(member(community), community)
    second = need(member(community), community)
    ok(
        api.post(
            "/help/matches",
            {"offer_id": o.pk, "request_id": first.pk},
            user=coordinator,
        ),
        201,
    )
    body = problem(
        api.post(
            "/help/matches",
            {"offer_id": o.pk, "request_id": second.pk},
            user=coordinator,
        ),
        422,
        "offer",
    )
    assert "no place left this month" in body["errors"]["offer"][0]
    assert Match.objects.count() == 1


def test_accepting_a_closed_request_is_a_conflict(
    api, community, coordinator, expert, newcomer
):
    o = offer(expert, community)
    r = need(newcomer, community)
    m = ok(
        api.post(
            "/help/matches",
            {"offer_id": o.pk, "request_id": r.pk},
            user=coordinator,
        ),
        201,
    )
    HelpRequest.objects.filter(pk=r.pk).update(state=RequestState.CLOSED)
    body = problem(
        api.post(f"/help/matches/{m['id']}/accept", user=expert), 409
    )
    assert "This request is closed" in body["detail"]
    assert Match.objects.get().helper_answer == "pending"


def test_bad_offer_names_each_field(api, community, expert):
    body = problem(
        api.put(
            f"/communities/{community.slug}/help/offer",
            {
                "skills": ["cobol"],
                "formats": ["pair"],
                "capacity": 99,
                "windows": [{"day": 1, "start": "9", "end": "10:00"}],
                "time_zone": "Atlantis/Capital",
            },
            user=expert,
        ),
        422,
        "skills",
        "capacity",
        "windows",
        "time_zone",
    )
    assert "windows" in body["errors"]


def test_pathway_with_deleted_target(api, community, coordinator, newcomer):
    from practica.repertoire import services as repertoire

    a = repertoire.artifact_create(
        author=coordinator,
        community=community,
        title="How we work",
        body="Read me.",
        status="published",
    )
    slug = community.slug
    p = ok(
        api.put(
            f"/communities/{slug}/pathway",
            {
                "title": "Welcome",
                "steps": [
                    {
                        "kind": "read",
                        "target_type": "repertoire.artifact",
                        "target_id": a.pk,
                    },
                    {"kind": "ask"},
                ],
            },
            user=coordinator,
        )
    )
    read = p["steps"][0]
    assert read["title"] == "How we work" and not read["target_missing"]
    body = problem(
        api.put(
            f"/communities/{slug}/pathway",
            {
                "title": "Welcome",
                "steps": [
                    {
                        "kind": "read",
                        "target_type": "repertoire.artifact",
                        "target_id": 424242,
                    }
                ],
            },
            user=coordinator,
        ),
        422,
        "steps",
    )
    assert "does not exist" in body["errors"]["steps"][0]
    a.delete()
    mine = ok(api.get(f"/communities/{slug}/pathway", user=newcomer))
    assert mine["steps"][0]["target_missing"]
    body = problem(
        api.post(f"/pathway/steps/{read['id']}/tick", user=newcomer), 409
    )
    assert "was deleted" in body["detail"]
    rows = ok(
        api.get(f"/communities/{slug}/pathway/progress", user=coordinator)
    )
    assert rows[0]["person_id"] == newcomer.pk and rows[0]["done"] == 0
    problem(
        api.get(f"/communities/{slug}/pathway/progress", user=newcomer), 403
    )
