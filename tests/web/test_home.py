"""The home page: what Practica is, or what waits for the person."""

from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practica.communities import services
from practica.communities.models import Policy, Role, Visibility
from tests.factories import CommunityFactory, UserFactory, member

pytestmark = pytest.mark.django_db
STATEMENT = "I have run incident reviews on our line for six years."
HOME = "/"


def page(client) -> str:
    response = client.get(HOME)
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_anonymous_sees_what_practica_is_and_public_communities(client):
    CommunityFactory(name="Open Bakers", tagline="Bread that works")
    CommunityFactory(name="Org Only", visibility=Visibility.ORGANISATION)
    CommunityFactory(name="Secret", visibility=Visibility.PRIVATE)
    html = page(client)
    assert "communities of practice" in html
    assert "Open Bakers" in html and "Bread that works" in html
    assert "Community of interest — open to anyone" in html
    assert "Org Only" not in html and "Secret" not in html
    assert reverse("account_signup") in html


def test_signed_in_sees_memberships_and_requests(client):
    user = UserFactory(display_name="Ada")
    mine = CommunityFactory(name="Bakers", tagline="Bread that works")
    services.community_join(user=user, community=mine)
    waiting = CommunityFactory(name="Reviews", policy=Policy.APPROVAL)
    member(waiting, Role.COORDINATOR)
    services.community_join(
        user=user, community=waiting, practice_statement=STATEMENT
    )
    refused = CommunityFactory(name="Pilots", policy=Policy.APPROVAL)
    coordinator = member(refused, Role.COORDINATOR)
    m = services.community_join(
        user=user, community=refused, practice_statement=STATEMENT
    )
    services.membership_decline(
        actor=coordinator, membership=m, reason="Fly solo for a year first."
    )
    CommunityFactory(name="Unrelated")
    client.force_login(user)
    html = page(client)
    assert "Welcome, Ada" in html
    mine_part, requests_part = html.split('id="asked-h"')
    assert "Bakers" in mine_part and "Bread that works" in mine_part
    assert "Reviews" in requests_part and "Waiting" in requests_part
    assert "Pilots" in requests_part and "Declined" in requests_part
    assert "Fly solo for a year first." in requests_part
    assert "Unrelated" not in html
    assert "Waiting for you" not in html  # coordinates nothing


def test_coordinator_sees_waiting_requests_per_community(client):
    c = CommunityFactory(name="Reviews", policy=Policy.APPROVAL)
    quiet = CommunityFactory(name="Quiet", policy=Policy.APPROVAL)
    coordinator = member(c, Role.COORDINATOR)
    member(quiet, Role.COORDINATOR, user=coordinator)
    for name in ("Ann", "Bob", "Cyd", "Dan"):
        services.community_join(
            user=UserFactory(display_name=name),
            community=c,
            practice_statement=STATEMENT,
        )
    client.force_login(coordinator)
    html = page(client)
    assert "Waiting for you" in html
    assert "Reviews</strong>: 4 join requests" in html
    assert reverse("communities:requests", args=[c.slug]) in html
    assert "Ann, Bob, Cyd and more" in html
    assert "Quiet</strong>:" not in html  # nothing waiting there


def test_home_query_count_is_fixed(client, django_assert_max_num_queries):
    coordinator = UserFactory()

    def add(n: int) -> None:
        for _ in range(n):
            c = CommunityFactory(policy=Policy.APPROVAL)
            member(c, Role.COORDINATOR, user=coordinator)
            services.community_join(
                user=UserFactory(), community=c, practice_statement=STATEMENT
            )

    add(2)
    client.force_login(coordinator)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            client.get(HOME)
        return len(ctx.captured_queries)

    small = count()
    add(10)
    assert count() == small
    # session, user, memberships (access), my memberships, queue, waiting
    with django_assert_max_num_queries(6):
        client.get(HOME)


def test_visitors_home_is_cached_and_shows_changes_at_once(
    client, django_assert_max_num_queries
):
    from django.core.cache import cache

    cache.clear()
    coordinator = UserFactory()
    first = CommunityFactory(name="Alpha presses")
    member(first, Role.COORDINATOR, user=coordinator)
    assert "Alpha presses" in client.get(HOME).content.decode()
    # One small query (what the page lists, and its versions) on a hit.
    with django_assert_max_num_queries(1):
        client.get(HOME)
    services.community_update(
        actor=coordinator, community=first, name="Alpha press line"
    )
    html = client.get(HOME).content.decode()
    assert "Alpha press line" in html and "Alpha presses" not in html
    CommunityFactory(name="Beta welding")
    assert "Beta welding" in client.get(HOME).content.decode()
