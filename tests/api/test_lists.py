"""Conversation lists are built from cached item JSON (practica.api.lists):
byte for byte what ninja would write, current after every write, and never
a way around access."""

import json
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from practica.accounts import services as accounts
from practica.api import lists
from practica.api.api import api as ninja_api
from practica.communities import selectors as communities
from practica.communities import services as community_services
from practica.communities.models import Role, Visibility
from practica.communities.schemas import CommunityPageOut
from practica.conversations import selectors, services
from practica.conversations.models import Conversation
from practica.conversations.schemas import ConversationOut, ConversationPageOut
from practica.core import cache as fragments
from tests.api.conftest import Api, ok
from tests.conversations.factories import answer, ask
from tests.factories import (
    CommunityFactory,
    DepartmentFactory,
    UserFactory,
    member,
)


def as_ninja_writes(page: Any, name: str = "") -> bytes:
    """The body ninja's own response path gives for ``page``: validated
    by the response schema, dumped, and rendered by the API's renderer."""
    data = ConversationPageOut.model_validate(page).model_dump()
    return ninja_api.renderer.render(
        HttpRequest(), data, response_status=200
    ).encode()


@pytest.fixture
def asker(community):
    return member(community)


@pytest.fixture
def several(community, asker):
    made = [
        ask(asker, community, title=f"Question {i} about the presses")
        for i in range(3)
    ]
    made.append(ask(asker, community, tags=["Presses", "Dies and punches"]))
    services.vote(user=member(community), conversation=made[0], value=1)
    services.reply_accept(
        actor=asker, reply=answer(member(community), made[1])
    )
    return made


def items(body: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {item["id"]: item for item in body["items"]}


class TestSameBytes:
    @pytest.mark.parametrize("warm", [False, True])
    def test_community_list(self, api: Api, community, several, warm):
        path = f"/communities/{community.slug}/conversations"
        if warm:
            api.get(path)
        response = api.get(path)
        page = selectors.conversation_list(
            viewer=AnonymousUser(), community=community
        )
        assert response.content == as_ninja_writes(
            page, "community_conversation_list"
        )
        assert response["Content-Type"] == "application/json; charset=utf-8"

    def test_a_page_with_a_cursor(self, api: Api, several, settings):
        settings.PRACTICA_PAGE_SIZE = 2
        response = api.get("/conversations", sort="newest")
        page = selectors.conversation_list(
            viewer=AnonymousUser(), sort="newest"
        )
        assert page.next_cursor
        assert response.content == as_ninja_writes(page, "conversation_list")

    def test_empty(self, api: Api, community):
        response = api.get(f"/communities/{community.slug}/conversations")
        assert response.content == b'{"items": [], "next_cursor": null}'

    def test_a_deleted_author_and_unicode(self, api: Api, community, asker):
        c = ask(asker, community, title="Qué pasa con la prensa — ¿otra vez?")
        Conversation.objects.filter(pk=c.pk).update(author=None)
        path = f"/communities/{community.slug}/conversations"
        response = api.get(path)
        page = selectors.conversation_list(
            viewer=AnonymousUser(), community=community
        )
        assert response.content == as_ninja_writes(
            page, "community_conversation_list"
        )
        assert ok(response)["items"][0]["author"] is None


class TestCurrent:
    """A write shows in the next list, whatever was cached before."""

    def path(self, community) -> str:
        return f"/communities/{community.slug}/conversations"

    def test_answer_vote_accept_edit(self, api: Api, community, asker):
        c = ask(asker, community)
        ok(api.get(self.path(community)))
        helper = member(community)
        r = answer(helper, c)
        item = items(ok(api.get(self.path(community))))[c.pk]
        assert item["reply_count"] == 1
        services.vote(user=helper, conversation=c, value=1)
        assert items(ok(api.get(self.path(community))))[c.pk]["score"] == 1
        services.reply_accept(actor=asker, reply=r)
        item = items(ok(api.get(self.path(community))))[c.pk]
        assert item["accepted_reply_id"] == r.pk
        assert item["is_solved"] is True
        services.conversation_edit(
            actor=asker,
            conversation=c,
            title="A better title for the jam",
            body=c.body,
        )
        item = items(ok(api.get(self.path(community))))[c.pk]
        assert item["title"] == "A better title for the jam"

    def test_author_renamed_and_views(self, api: Api, community, asker):
        c = ask(asker, community)
        ok(api.get(self.path(community)))
        accounts.profile_update(
            actor=asker, person=asker, display_name="Ada Renamed"
        )
        item = items(ok(api.get(self.path(community))))[c.pk]
        assert item["author"] == {"id": asker.pk, "name": "Ada Renamed"}
        Conversation.objects.filter(pk=c.pk).update(view_count=7)
        item = items(ok(api.get(self.path(community))))[c.pk]
        assert item["view_count"] == 7

    def test_community_renamed(self, api: Api, community, asker):
        c = ask(asker, community)
        ok(api.get("/conversations"))
        type(community).objects.filter(pk=community.pk).update(
            name="Press shop"
        )
        item = items(ok(api.get("/conversations")))[c.pk]
        assert item["community"]["name"] == "Press shop"


class TestAccess:
    def test_cached_items_never_reach_an_outsider(self, api: Api):
        secret = CommunityFactory(visibility=Visibility.PRIVATE)
        insider = member(secret)
        hidden = ask(insider, secret, title="Secret plant question here")
        path = f"/communities/{secret.slug}/conversations"
        # The insider's lists put the item's JSON in the cache.
        assert hidden.pk in items(ok(api.get(path, user=insider)))
        assert hidden.pk in items(ok(api.get("/conversations", user=insider)))
        outsider = UserFactory()
        assert api.get(path, user=outsider).status_code == 404
        assert api.get(path).status_code == 404
        for who in (outsider, None):
            body = ok(api.get("/conversations", user=who))
            assert hidden.pk not in items(body)

    def test_a_community_made_private(self, api: Api, community, asker):
        c = ask(asker, community)
        path = f"/communities/{community.slug}/conversations"
        assert c.pk in items(ok(api.get(path)))
        type(community).objects.filter(pk=community.pk).update(
            visibility=Visibility.PRIVATE
        )
        assert api.get(path).status_code == 404
        assert c.pk not in items(ok(api.get("/conversations")))


class TestItems:
    def test_rows_gone_since_listed_are_left_out(self, db, community):
        rows = [ask(member(community), community) for _ in range(2)]

        def load(missing: list[Conversation]) -> list[Conversation | None]:
            return [None if c.pk == rows[0].pk else c for c in missing]

        def parts(c: Conversation) -> tuple[Any, ...]:
            return (c.pk, c.version)

        found = lists.items_json(
            rows, schema=ConversationOut, parts=parts, load=load
        )
        assert len(found) == 1
        assert f'"id": {rows[1].pk}' in found[0]

    def test_keys_name_the_schema_and_its_shape(self):
        key = lists.item_keyer(ConversationOut)(1, 2)
        assert key.startswith("api:ConversationOut:")
        assert key != lists.item_keyer(ConversationOut)(1, 3)
        assert ConversationOut.__name__ in key
        assert lists.schema_digest(ConversationOut) in key

    def test_a_hit_encodes_nothing(
        self, api: Api, community, several, monkeypatch
    ):
        path = f"/communities/{community.slug}/conversations"
        first = api.get(path).content

        def refuse(*args: Any) -> str:
            raise AssertionError("encoded again")

        monkeypatch.setattr(lists, "item_json", refuse)
        assert api.get(path).content == first
        assert fragments.MAX_AGE <= lists.TTL

    def test_a_page_with_rows_gone_is_not_kept(self, db, community):
        rows = [ask(member(community), community) for _ in range(2)]
        gone = {rows[0].pk}

        def load(missing: list[Conversation]) -> list[Conversation | None]:
            return [None if c.pk in gone else c for c in missing]

        def parts(c: Conversation) -> tuple[Any, ...]:
            return (c.pk, c.version)

        def body() -> dict[str, Any]:
            response = lists.page_response(
                rows, None, schema=ConversationOut, parts=parts, load=load
            )
            return json.loads(response.content)

        assert [c["id"] for c in body()["items"]] == [rows[1].pk]
        gone.clear()  # back (say, the first query raced a write)
        assert [c["id"] for c in body()["items"]] == [c.pk for c in rows]


class TestDirectory:
    """GET /communities: the first page cached whole by its stamps, the
    filtered pages by their items."""

    def expected(self, viewer: Any, **filters: Any) -> bytes:
        page = communities.community_list(viewer=viewer, **filters)
        data = CommunityPageOut.model_validate(page).model_dump()
        return ninja_api.renderer.render(
            HttpRequest(), data, response_status=200
        ).encode()

    @pytest.fixture
    def directory(self, db):
        dept = DepartmentFactory(name="Research", slug="research")
        made = [
            CommunityFactory(name=f"Alpha {i}", tagline="Ünïcode — yes")
            for i in range(3)
        ]
        made[1].departments.add(dept)
        member(made[0])
        return made

    @pytest.mark.parametrize("warm", [False, True])
    def test_same_bytes(self, api: Api, directory, warm, settings):
        settings.PRACTICA_PAGE_SIZE = 2
        if warm:
            api.get("/communities")
        response = api.get("/communities")
        assert response.content == self.expected(AnonymousUser())
        assert ok(response)["next_cursor"]
        filtered = api.get("/communities", q="alpha")
        assert filtered.content == self.expected(AnonymousUser(), q="alpha")

    def test_writes_show_at_once(self, api: Api, directory):
        ok(api.get("/communities"))
        joiner = UserFactory()
        c = directory[2]
        community_services.community_join(user=joiner, community=c)
        item = {i["id"]: i for i in ok(api.get("/communities"))["items"]}[c.pk]
        assert item["member_count"] == 1
        coordinator = member(c, role=Role.COORDINATOR)
        community_services.community_update(
            actor=coordinator,
            community=c,
            tagline="A new domain",
            departments=["research"],
        )
        item = {i["id"]: i for i in ok(api.get("/communities"))["items"]}[c.pk]
        assert item["tagline"] == "A new domain"
        assert item["departments"] == [
            {"slug": "research", "name": "Research"}
        ]
        CommunityFactory(name="Aardvark")
        assert ok(api.get("/communities"))["items"][0]["name"] == "Aardvark"

    def test_private_never_reaches_an_outsider(self, api: Api, directory):
        secret = CommunityFactory(
            name="Aaa secret", visibility=Visibility.PRIVATE
        )
        insider = member(secret)
        assert secret.pk in items(ok(api.get("/communities", user=insider)))
        for who in (UserFactory(), None):
            assert secret.pk not in items(
                ok(api.get("/communities", user=who))
            )

    def test_a_hit_is_one_query(
        self, api: Api, directory, django_assert_num_queries
    ):
        ok(api.get("/communities"))
        with django_assert_num_queries(1):  # the stamps
            ok(api.get("/communities"))


def test_later_pages_keep_items_not_bodies(
    api: Api, community, several, settings, monkeypatch
):
    settings.PRACTICA_PAGE_SIZE = 2
    path = f"/communities/{community.slug}/conversations"
    kept: list[str] = []
    real_set = lists.cache.set

    def record(key: str, *args: Any, **kw: Any) -> None:
        kept.append(key)
        real_set(key, *args, **kw)

    monkeypatch.setattr(lists.cache, "set", record)
    first = ok(api.get(path))
    assert any(":stamped:" in key for key in kept)  # the body
    kept.clear()
    second = api.get(path, cursor=first["next_cursor"])
    assert len(ok(second)["items"]) == 2
    assert kept and not any(":page:" in key for key in kept)
    page = selectors.conversation_list(
        viewer=AnonymousUser(),
        community=community,
        cursor=first["next_cursor"],
    )
    assert second.content == as_ninja_writes(page)
