"""The community calendar, cached for every viewer: keyed by the stamp of
the events and occurrences in the window, so any change shows at once;
each viewer's own answers filled in per request; a visitor's hit costs
one query."""

import pickle

import pytest
from django.core.cache import cache
from django.urls import reverse

from practica.communities.models import Visibility
from practica.events import services
from tests.events.factories import event
from tests.factories import member

pytestmark = pytest.mark.django_db


def url(community) -> str:
    return reverse("events:calendar", args=[community.slug])


def get(client, community, **params) -> str:
    response = client.get(url(community), params)
    assert response.status_code == 200
    return response.content.decode()


def cached(name: str) -> list[str]:
    """The fragments named ``name`` in the (local memory) cache."""
    return [
        pickle.loads(value)  # noqa: S301 (our own test cache)
        for key, value in cache._cache.items()  # type: ignore[attr-defined]
        if f":frag:{name}:" in key
    ]


@pytest.fixture
def weekly(community, coordinator):
    return event(
        community,
        coordinator,
        title="Problem-solving hour",
        rrule="FREQ=WEEKLY",
        capacity=3,
    )


def test_a_visitors_hit_is_one_query(
    client, community, weekly, django_assert_num_queries
):
    first = get(client, community)
    with django_assert_num_queries(1):
        again = get(client, community)
    assert again == first
    assert "Problem-solving hour" in again
    assert "csrfmiddlewaretoken" not in again
    with django_assert_num_queries(1):
        fragment = client.get(url(community), headers={"HX-Request": "true"})
    assert b"<html" not in fragment.content
    assert b"Problem-solving hour" in fragment.content


@pytest.mark.parametrize("view", ["month", "agenda"])
def test_changes_show_at_once(client, community, coordinator, weekly, view):
    get(client, community, view=view)
    services.event_update(actor=coordinator, event=weekly, title="Clinic")
    shown = get(client, community, view=view)
    assert "Clinic" in shown
    assert "Problem-solving hour" not in shown
    talk = event(community, coordinator, title="Guest talk")
    assert "Guest talk" in get(client, community, view=view)
    services.occurrence_cancel(
        actor=coordinator,
        event=talk,
        original_start=talk.starts_at,
        reason="Speaker ill",
    )
    shown = get(client, community, view=view)
    assert "ev-cancelled" in shown


def test_seats_taken_show_at_once_in_the_agenda(client, community, weekly):
    assert "0/3 seats" in get(client, community, view="agenda")
    services.event_rsvp(
        user=member(community),
        event=weekly,
        original_start=weekly.starts_at,
        status="going",
    )
    assert "1/3 seats" in get(client, community, view="agenda")


def test_each_viewer_sees_only_their_own_answers(client, community, weekly):
    ann, ben = member(community), member(community)
    services.event_rsvp(
        user=ann,
        event=weekly,
        original_start=weekly.starts_at,
        status="going",
    )
    client.force_login(ann)
    assert "✓" in get(client, community)
    assert '<span class="badge ok">Going</span>' in get(
        client, community, view="agenda"
    )
    client.force_login(ben)
    assert "✓" not in get(client, community)
    assert "Going</span>" not in get(client, community, view="agenda")
    services.event_rsvp(
        user=ben,
        event=weekly,
        original_start=weekly.starts_at,
        status="maybe",
    )
    assert '<span class="badge">Maybe</span>' in get(
        client, community, view="agenda"
    )
    client.logout()
    shown = get(client, community, view="agenda")
    assert "Going</span>" not in shown
    assert "Maybe</span>" not in shown
    # The shared fragments hold markers, never anyone's answer.
    shared = cached("calendar")
    assert shared
    assert not any("Going</span>" in html or "✓" in html for html in shared)


def test_a_private_calendar_is_not_served_from_the_cache(
    client, community, weekly
):
    get(client, community)
    community.visibility = Visibility.PRIVATE
    community.save(update_fields=["visibility"])
    assert client.get(url(community)).status_code == 404


def test_a_signed_in_members_queries_are_fixed(
    client, community, weekly, django_assert_max_num_queries
):
    client.force_login(member(community))
    get(client, community)
    # session, user, the calendar's stamp, memberships, my answers
    with django_assert_max_num_queries(5):
        get(client, community)
