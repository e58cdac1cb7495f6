"""Keyset pages: follow next_cursor to the end; a bad cursor is a 422."""

import base64
import json

import pytest

from tests.api.conftest import Api, ok, problem
from tests.factories import CommunityFactory, UserFactory, member


def cursor_of(value: object) -> str:
    raw = json.dumps(value).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def walk(api: Api, path: str, key, **kw) -> list:
    seen, cursor, pages = [], None, 0
    while True:
        query = dict(kw.pop("query", {}))
        if cursor:
            query["cursor"] = cursor
        body = ok(api.get(path, **kw, **query))
        seen.extend(key(item) for item in body["items"])
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return [pages, *seen]


@pytest.fixture
def small_pages(settings):
    settings.PRACTICA_PAGE_SIZE = 2


def test_communities_page_by_page(api: Api, small_pages):
    for name in ["Echo", "Alpha", "Delta", "Bravo", "Charlie"]:
        CommunityFactory(name=name)
    CommunityFactory(name="Alpha")  # same name: the id breaks the tie
    pages, *seen = walk(api, "/communities", lambda c: c["name"])
    assert seen == ["Alpha", "Alpha", "Bravo", "Charlie", "Delta", "Echo"]
    assert pages == 3


def test_filters_survive_paging(api: Api, small_pages):
    for i in range(5):
        CommunityFactory(name=f"Ops {i}", kind="social")
        CommunityFactory(name=f"Dev {i}")
    pages, *seen = walk(
        api, "/communities", lambda c: c["kind"], query={"kind": "social"}
    )
    assert seen == ["social"] * 5
    assert pages == 3


def test_members_page_by_page(api: Api, community, small_pages):
    viewer = member(community)
    for _ in range(4):
        member(community)
    pages, *seen = walk(
        api,
        f"/communities/{community.slug}/members",
        lambda m: m["id"],
        user=viewer,
    )
    assert len(seen) == len(set(seen)) == 5
    assert pages == 3


def test_people_page_by_page(api: Api, small_pages):
    people = [UserFactory(display_name=n) for n in "EDCBA"]
    pages, *seen = walk(api, "/people", lambda p: p["name"], user=people[0])
    assert seen == ["A", "B", "C", "D", "E"]
    assert pages == 3


@pytest.mark.parametrize(
    "cursor",
    [
        "!!!not base64",
        cursor_of({"name": "Alpha"}),  # not a list
        cursor_of(["Alpha"]),  # too short
        cursor_of(["Alpha", 1, 2]),  # too long
        cursor_of(["Alpha", "one"]),  # text where the id belongs
        cursor_of(["Alpha", None]),
        cursor_of(["Alpha", {"id": 1}]),
    ],
)
@pytest.mark.parametrize(
    "path", ["/communities", "/people", "/communities/{slug}/members"]
)
def test_tampered_cursor_is_refused(api: Api, community, path, cursor):
    viewer = member(community)
    response = api.get(
        path.format(slug=community.slug), cursor=cursor, user=viewer
    )
    body = problem(response, 422, "cursor")
    assert "start again" in body["errors"]["cursor"][0]
