"""A signed-out visitor's hot pages, whole from the cache: a hit renders
no template and costs its stamp queries only; messages still show once,
a deploy's static files change the key, private content stays out."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from practica.communities.models import Visibility
from practica.conversations import selectors, services
from practica.conversations.forms import ListFilterForm
from practica.conversations.models import Tag
from practica.conversations.views import NO_FILTERS
from practica.core import cache
from practica.core.pagination import keyset
from practica.web import pages
from tests.conversations.factories import answer, ask
from tests.factories import CommunityFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh():
    cache.forget_counts()
    yield
    cache.forget_counts()


@pytest.fixture
def question(community):
    c = ask(member(community), community, title="Why does the die crack?")
    answer(member(community), c)
    return c


def urls(community, question) -> dict[str, tuple[str, int]]:
    """Each hot page and the queries its hit costs."""
    return {
        "home": (reverse("web:home"), 1),
        "community": (reverse("communities:detail", args=[community.slug]), 1),
        # the community with the stamps of its tag set and its lists
        "list": (reverse("conversations:list", args=[community.slug]), 1),
        "question": (reverse("conversations:detail", args=[question.pk]), 1),
    }


@pytest.mark.parametrize("name", ["home", "community", "list", "question"])
def test_a_hit_renders_no_template_and_is_the_same_page(
    client, community, question, name, django_assert_num_queries
):
    url, queries = urls(community, question)[name]
    first = client.get(url)
    assert first.status_code == 200 and first.templates
    with django_assert_num_queries(queries):
        again = client.get(url)
    assert again.status_code == 200
    assert again.templates == []  # nothing rendered: the cache's page
    body = again.content.decode()
    if name == "question":  # the view count the first view added
        body = body.replace("1 view", "0 views")
    assert body == first.content.decode()
    assert "csrfmiddlewaretoken" not in body and "Sign in" in body


def message_cookie(text: str) -> str:
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(constants.INFO, text)
    response = HttpResponse()
    storage.update(response)
    return response.cookies[storage.cookie_name].value


@pytest.mark.parametrize("name", ["home", "community", "list", "question"])
def test_messages_show_once_and_are_never_cached(
    client, community, question, name
):
    url, _ = urls(community, question)[name]
    client.get(url)  # cached
    client.cookies[CookieStorage.cookie_name] = message_cookie("See you!")
    assert "See you!" in client.get(url).content.decode()
    assert "See you!" not in client.get(url).content.decode()


def test_new_static_files_or_layout_change_the_key(
    client, community, monkeypatch
):
    url = reverse("communities:detail", args=[community.slug])
    client.get(url)
    assert client.get(url).templates == []
    pages.static_digest.cache_clear()
    monkeypatch.setattr(pages, "static_digest", lambda: "after-deploy")
    assert client.get(url).templates  # built again


def test_visitors_recent_questions_leave_out_private_communities(
    client, community
):
    private = CommunityFactory(visibility=Visibility.PRIVATE)
    ask(member(private), private, title="Inner circle only")
    ask(member(community), community, title="Open to everyone")
    for _ in range(2):  # built, then from the cache
        page = client.get(reverse("conversations:all")).content.decode()
        assert "Open to everyone" in page
        assert "Inner circle only" not in page


def test_no_query_string_means_the_forms_defaults():
    assert ListFilterForm().filters() == NO_FILTERS
    assert ListFilterForm(None).filters() == NO_FILTERS


def test_a_bound_filter_still_builds_the_form(client, community):
    ask(member(community), community, title="Belt slipping", tags=["belt"])
    url = reverse("conversations:list", args=[community.slug])
    for _ in range(2):
        page = client.get(url, {"status": "nonsense"}).content.decode()
        assert "Belt slipping" in page
        assert "Select a valid choice" in page


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"sort": "newest"},
        {"sort": "votes", "kind": "question"},
        {"sort": "unanswered"},
        {"tag": "belt"},
        {"status": "solved"},
        {"status": "unsolved", "tag": "belt", "kind": "question"},
    ],
)
def test_first_pages_compiled_once_match_the_queryset(
    community, filters, settings
):
    settings.PRACTICA_PAGE_SIZE = 3
    asker = member(community)
    for n in range(5):
        c = ask(
            asker,
            community,
            title=f"Belt slips, case {n}",
            tags=["belt"] * (n % 2),
        )
        if n == 2:
            reply = answer(member(community), c)
            services.reply_accept(actor=asker, reply=reply, accepted=True)
    other = CommunityFactory()
    ask(member(other), other, title="Somewhere else entirely")
    for where in (community, None):
        prepared = selectors.conversation_list(
            viewer=AnonymousUser(), community=where, stamps=True, **filters
        )
        # The same query through the ORM (every community is public).
        qs = selectors._filtered(
            selectors.Conversation.objects.filter(
                **({"community": where} if where else {})
            ),
            sort=filters.get("sort", "active"),
            tag=filters.get("tag", ""),
            kind=filters.get("kind", ""),
            status=filters.get("status", ""),
        )
        expected = keyset(
            selectors._stamp_qs(qs),
            order=selectors.SORTS[filters.get("sort", "active")],
            cursor=None,
            size=3,
        )
        assert [tuple(r) for r in prepared.items] == [
            tuple(r) for r in expected.items
        ]
        assert prepared.next_cursor == expected.next_cursor


def test_the_list_stamp_follows_new_tags_their_uses_and_names(community):
    asker = member(community)
    q = ask(
        asker, community, title="Which grease for the feeder?", tags=["feeder"]
    )

    def stamp() -> tuple[int, ...]:
        return selectors.list_head(
            viewer=AnonymousUser(), slug=community.slug
        )[1]

    first = stamp()
    ask(asker, community, title="Belt slipping on line two", tags=["belt"])
    second = stamp()
    assert second != first
    # One tag loses a use and another gains one.
    services.conversation_edit(
        actor=asker,
        conversation=selectors.Conversation.objects.get(pk=q.pk),
        title=q.title,
        body=q.body,
        tags=["belt"],
        message="retagged",
    )
    third = stamp()
    assert third != second
    # A tag renamed: the filter's choices show names.
    Tag.objects.filter(community=community, slug="belt").update(name="Belts")
    assert stamp() != third
