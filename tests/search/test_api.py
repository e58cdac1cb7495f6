"""GET /api/v1/search: what you may see, with highlights and facets."""

import pytest

from tests.api.conftest import Api, ok, problem
from tests.search import sites

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return sites.build()


@pytest.fixture
def api(client) -> Api:
    return Api(client)


def titles(body) -> list[str]:
    return [h["title"] for h in body["hits"]]


def test_anonymous_search_with_highlights_and_facets(api, site):
    body = ok(api.get("/search", q="terraform"))
    assert body["query"] == "terraform"
    assert body["total"] == 2
    assert body["next_offset"] is None
    assert body["notes"] == []
    solved = next(h for h in body["hits"] if h["id"] == site["solved"].pk)
    assert solved == {
        "type": "question",
        "id": site["solved"].pk,
        "title": "Terraform state drift after import",
        "url": f"/q/{site['solved'].pk}/",
        "community": {"slug": "platform", "name": "Platform Guild"},
        "snippet_html": solved["snippet_html"],
        "best_answer_html": solved["best_answer_html"],
        "tags": ["terraform"],
        "solved": True,
        "replies": 1,
        "created_at": solved["created_at"],
    }
    assert "<b>" in solved["snippet_html"]
    assert "<b>terraform</b> plan" in solved["best_answer_html"]
    unsolved = next(h for h in body["hits"] if h["id"] == site["open"].pk)
    assert unsolved["best_answer_html"] == ""
    facets = body["facets"]
    assert {(f["value"], f["count"]) for f in facets["tag"]} == {
        ("terraform", 1),
        ("ci", 1),
    }
    assert facets["community"] == [
        {
            "value": "platform",
            "label": "Platform Guild",
            "count": 2,
            "filter": "community:platform",
            "active": False,
            "query": "terraform community:platform",
        }
    ]
    assert [f["value"] for f in facets["type"]] == ["question"]


def test_results_follow_access(api, site):
    hidden = "Terraform secrets in the private vault plan"
    for who in (None, site["outsider"]):
        body = ok(api.get("/search", user=who, q="terraform secret"))
        assert hidden not in titles(body)
        body = ok(api.get("/search", user=who, q="terraform"))
        assert hidden not in titles(body)
        assert "vault" not in [f["value"] for f in body["facets"]["community"]]
        assert "vault-secrets" not in [
            f["value"] for f in body["facets"]["tag"]
        ]
    assert (
        ok(api.get("/search", user=site["outsider"], q="terraform"))["total"]
        == 3
    )
    body = ok(api.get("/search", user=site["insider"], q="terraform"))
    assert body["total"] == 4
    assert hidden in titles(body)
    # people only for signed-in callers
    assert ok(api.get("/search", q="Olga"))["hits"] == []
    body = ok(api.get("/search", user=site["asker"], q="Olga"))
    assert [(h["type"], h["community"]) for h in body["hits"]] == [
        ("person", None)
    ]


def test_one_community_and_pages(api, site):
    body = ok(api.get("/search", q="terraform", community="platform"))
    assert body["total"] == 2
    first = ok(api.get("/search", q="terraform", sort="newest", limit=1))
    assert titles(first) == ["Flaky CI runners on Mondays"]
    assert first["next_offset"] == 1
    second = ok(
        api.get("/search", q="terraform", sort="newest", limit=1, offset=1)
    )
    assert titles(second) == ["Terraform state drift after import"]
    assert second["next_offset"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 51}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": 5000}, "offset"),
        ({"sort": "votes"}, "sort"),
        ({"community": "nowhere"}, "community"),
        ({"community": "vault"}, "community"),  # private: not revealed
    ],
)
def test_bad_parameters_name_the_field(api, site, query, field):
    body = problem(api.get("/search", q="terraform", **query), 422, field)
    assert field in body["detail"]


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("", None),
        ("- - -", None),
        ('"', "not closed"),
        ('"unbalanced terraform', "not closed"),
        ("a" * 10_000, "only the first 500"),
        ("is:weird terraform", "is:weird is unknown"),
        ("before:tomorrow terraform", "not a date"),
        ("( ) AND OR NOT ^ ~ * : \\", None),
    ],
)
def test_bad_queries_are_answered_not_refused(api, site, text, note):
    body = ok(api.get("/search", q=text))
    assert body["total"] >= 0
    assert len(body["query"]) <= 500
    if note is None:
        assert body["notes"] == []
    else:
        assert any(note in n for n in body["notes"]), body["notes"]
