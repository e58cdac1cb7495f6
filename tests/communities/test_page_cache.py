"""The community page for signed-out visitors, from the cache: every
change shows at once, and a hit costs one small query."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from practica.communities import services
from practica.communities.models import Role
from tests.conversations.factories import ask
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh():
    cache.clear()


def front(client, community) -> str:
    response = client.get(reverse("communities:detail", args=[community.slug]))
    assert response.status_code == 200
    return response.content.decode()


def main(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def test_a_hit_costs_one_query_and_is_the_same_page(
    client, community, coordinator, django_assert_max_num_queries
):
    first = front(client, community)
    with django_assert_max_num_queries(1):
        again = front(client, community)
    assert main(again) == main(first)
    assert "Sign in to join" in first and "csrfmiddlewaretoken" not in main(
        first
    )


def test_new_activity_charter_and_members_show_at_once(
    client, community, coordinator
):
    front(client, community)  # cached
    ask(member(community), community, title="Who calibrates the gauges?")
    assert "Who calibrates the gauges?" in front(client, community)
    services.community_update(
        actor=coordinator,
        community=community,
        charter="We keep **the presses** running.",
    )
    html = front(client, community)
    assert "<strong>the presses</strong>" in html
    member(community)  # counted on the community (its version bumps)
    community.refresh_from_db()
    assert f"<dd>{community.member_count}" in front(client, community)


def test_signed_in_people_see_their_own_state(client, community, coordinator):
    front(client, community)  # cached for visitors
    client.force_login(coordinator)
    html = front(client, community)
    assert "You are a member" in html
    assert "Sign in to join" not in html
    newcomer = member(community, Role.NEWCOMER)
    client.force_login(newcomer)
    assert "You are a member" in front(client, community)
