"""The analytics API: JSON and CSV, access, bad input as problems."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from practica.analytics import services
from practica.communities.models import Role
from tests.analytics.factories import artifact, question
from tests.api.conftest import Api, ok, problem
from tests.factories import CommunityFactory, UserFactory, member


@pytest.fixture
def api(client, db):
    return Api(client)


@pytest.fixture
def c(db):
    c = CommunityFactory()
    c.coord = member(c, Role.COORDINATOR, user__display_name="Ines")
    c.asker = member(c, user__display_name="Wei")
    when = timezone.now() - timedelta(days=45)
    question(
        c.asker, c, when, [(c.coord, when + timedelta(hours=4))], accept=0
    )
    c.art = artifact(c.coord, c)
    return c


def test_health_json_for_a_member_has_no_people(api, c):
    body = ok(
        api.get(f"/communities/{c.slug}/health", user=c.asker, period="week")
    )
    assert body["figures"]["period"] == "week"
    assert len(body["figures"]["periods"]) == 12
    keys = [s["key"] for s in body["figures"]["series"]]
    assert "asked" in keys and "first_answer_hours" in keys
    net = body["network"]
    assert net["total"] == 1 and net["people_included"] is False
    assert net["pairs"] == [] and net["connectors"] == []


def test_health_json_for_a_coordinator_names_people(api, c):
    body = ok(api.get(f"/communities/{c.slug}/network", user=c.coord))
    assert body["people_included"] is True
    assert body["pairs"] == [
        {
            "helper": {"id": c.coord.pk, "name": "Ines"},
            "helped": {"id": c.asker.pk, "name": "Wei"},
            "counts": {"answer": 1},
        }
    ]


def test_health_csv(api, c):
    r = api.get(f"/communities/{c.slug}/health.csv", user=c.asker)
    assert r.status_code == 200 and r["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(r.content.decode())))
    assert rows[0][:3] == ["figure", "label", "unit"] and len(rows[0]) == 15
    asked = next(row for row in rows if row[0] == "asked")
    assert sum(int(v) for v in asked[3:]) == 1
    people = api.get(f"/communities/{c.slug}/network.csv", user=c.coord)
    assert "Ines" in people.content.decode()
    depts = api.get(f"/communities/{c.slug}/network.csv", user=c.asker)
    assert depts.content.decode().startswith("from_department")
    assert "Ines" not in depts.content.decode()


def test_bad_period_and_zone_are_named(api, c):
    body = problem(
        api.get(f"/communities/{c.slug}/health", user=c.asker, period="year"),
        422,
        "period",
    )
    assert "use one of week, month" in body["errors"]["period"][0]
    problem(
        api.get(f"/communities/{c.slug}/health", user=c.asker, tz="Nowhere"),
        422,
        "tz",
    )


def test_outsiders_and_anonymous_are_refused(api, c):
    body = problem(
        api.get(f"/communities/{c.slug}/health", user=UserFactory()), 403
    )
    assert (
        body["detail"] == "Only this community's members can see its health."
    )
    assert api.get(f"/communities/{c.slug}/health").status_code == 401
    assert api.get("/communities/nope/health", user=c.asker).status_code == 404


def test_overview_for_sponsors(api, c):
    sponsor = UserFactory()
    problem(api.get("/health", user=sponsor), 403)
    staff = UserFactory(is_superuser=True)
    services.sponsor_grant(actor=staff, user=sponsor)
    body = ok(api.get("/health", user=sponsor))
    assert [r["community"]["slug"] for r in body["communities"]] == [c.slug]
    assert body["communities"][0]["asked"] == 1
    r = api.get("/health.csv", user=sponsor)
    assert r.status_code == 200 and r["Content-Type"] == "text/csv"


def test_stories_create_list_feature(api, c):
    draft = artifact(c.coord, c, status="draft")
    body = problem(
        api.post(
            f"/communities/{c.slug}/stories",
            {
                "title": "Fewer jams",
                "cycle": "applied",
                "happened": "We used it.",
                "difference": "None since.",
                "links": [f"artifact:{draft.pk}"],
            },
            user=c.asker,
        ),
        422,
        "links",
    )
    assert f"You cannot link artifact {draft.pk}" in body["errors"]["links"][0]
    story = ok(
        api.post(
            f"/communities/{c.slug}/stories",
            {
                "title": "Fewer jams",
                "cycle": "applied",
                "happened": "We used it.",
                "difference": "None since.",
                "links": [f"artifact:{c.art.pk}"],
            },
            user=c.asker,
        ),
        201,
    )
    assert story["links"] == [
        {"kind": "artifact", "id": c.art.pk, "title": c.art.title}
    ]
    problem(api.post(f"/stories/{story['id']}/feature", {}, user=c.asker), 403)
    got = ok(api.post(f"/stories/{story['id']}/feature", {}, user=c.coord))
    assert got["featured"] is True
    page = ok(api.get(f"/communities/{c.slug}/stories", featured=True))
    assert [s["id"] for s in page["items"]] == [story["id"]]
    problem(api.get(f"/communities/{c.slug}/stories", cycle="x"), 422, "cycle")


def test_reflections(api, c):
    last = (timezone.now().date().replace(day=1) - timedelta(days=1)).replace(
        day=1
    )
    r = ok(
        api.post(
            f"/communities/{c.slug}/reflections",
            {
                "period": "month",
                "start": last.isoformat(),
                "what": "w",
                "so_what": "s",
                "now_what": "n",
            },
            user=c.coord,
        ),
        201,
    )
    assert r["figures"]["asked"]["label"] == "Questions asked"
    page = ok(api.get(f"/communities/{c.slug}/reflections", user=c.asker))
    assert [x["id"] for x in page["items"]] == [r["id"]]
    problem(
        api.post(
            f"/communities/{c.slug}/reflections",
            {
                "period": "month",
                "start": "2026-01-15",
                "what": "w",
                "so_what": "s",
                "now_what": "n",
            },
            user=c.coord,
        ),
        422,
        "start",
    )
    problem(
        api.post(
            f"/communities/{c.slug}/reflections",
            {
                "period": "month",
                "start": last.isoformat(),
                "what": "w",
                "so_what": "s",
                "now_what": "n",
            },
            user=c.asker,
        ),
        403,
    )
