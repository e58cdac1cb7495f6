"""Taking a problem off a session's list and ticking an action item done,
through the occurrence page's buttons."""

import pytest
from django.urls import reverse

from practica.events import selectors, services
from practica.events.models import ActionItem, Problem
from tests.events.factories import event, soon
from tests.factories import member

pytestmark = pytest.mark.django_db


def occ_url(e, start) -> str:
    return reverse("events:occurrence", args=[e.pk, selectors.key(start)])


@pytest.fixture
def session(community, coordinator):
    return event(community, coordinator, title="Clinic")


def bring(author, e, title="Seals leak") -> Problem:
    return services.problem_submit(
        author=author, event=e, original_start=e.starts_at, title=title
    )


def test_the_author_removes_their_problem(client, community, session):
    ann, ben = member(community), member(community)
    mine, theirs = bring(ann, session), bring(ben, session, "Pump hums")
    client.force_login(ann)
    page = client.get(occ_url(session, session.starts_at)).content.decode()
    remove = reverse("events:problem_remove", args=[mine.pk])
    assert f'action="{remove}"' in page
    # No button on someone else's problem ...
    other = reverse("events:problem_remove", args=[theirs.pk])
    assert f'action="{other}"' not in page
    # ... and no way round it.
    assert client.post(other).status_code == 403
    response = client.post(remove, follow=True)
    assert "“Seals leak” is off the session&#x27;s list." in (
        response.content.decode()
    )
    assert list(Problem.objects.values_list("title", flat=True)) == [
        "Pump hums"
    ]


def test_a_host_removes_any_problem(client, community, coordinator, session):
    p = bring(member(community), session)
    client.force_login(coordinator)
    response = client.post(reverse("events:problem_remove", args=[p.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith("#problems")
    assert not Problem.objects.exists()


def test_removing_needs_a_post_and_a_visible_problem(
    client, community, session
):
    p = bring(member(community), session)
    url = reverse("events:problem_remove", args=[p.pk])
    client.force_login(member(community))
    assert client.get(url).status_code == 405
    missing = reverse("events:problem_remove", args=[p.pk + 1000])
    assert client.post(missing).status_code == 404
    client.logout()
    assert client.post(url).status_code == 302  # to sign in
    assert Problem.objects.exists()


@pytest.fixture
def actions(community, coordinator):
    e = event(community, coordinator, start=soon(days=-1), title="Review")
    owner = member(community)
    services.notes_save(
        actor=coordinator,
        event=e,
        original_start=e.starts_at,
        what="We fixed the pump.",
        actions=[
            {"text": "Write it up", "owner": owner.pk},
            {"text": "Order seals"},
        ],
    )
    return e, owner


def test_an_owner_ticks_their_action_done_and_opens_it_again(client, actions):
    e, owner = actions
    write, order = ActionItem.objects.order_by("position")
    client.force_login(owner)
    page = client.get(occ_url(e, e.starts_at)).content.decode()
    tick = reverse("events:action_done", args=[write.pk])
    assert f'action="{tick}"' in page
    assert reverse("events:action_done", args=[order.pk]) not in page
    response = client.post(tick, {"done": "1"}, follow=True)
    assert "Done: “Write it up”." in response.content.decode()
    write.refresh_from_db()
    assert write.done
    assert "Open again" in response.content.decode()
    client.post(tick, {"done": "0"})
    write.refresh_from_db()
    assert not write.done
    # Someone else's action is the hosts' to tick.
    other = reverse("events:action_done", args=[order.pk])
    assert client.post(other).status_code == 403
    order.refresh_from_db()
    assert not order.done


def test_a_host_ticks_any_action(client, actions, coordinator):
    e, _ = actions
    order = ActionItem.objects.get(text="Order seals")
    client.force_login(coordinator)
    page = client.get(occ_url(e, e.starts_at)).content.decode()
    tick = reverse("events:action_done", args=[order.pk])
    assert f'action="{tick}"' in page
    response = client.post(tick)
    assert response["Location"].endswith("#notes")
    order.refresh_from_db()
    assert order.done
