"""The help network on hand-built help where the answer is known."""

from datetime import UTC, datetime, timedelta

import pytest

from practica.analytics import network
from practica.communities.models import Role
from practica.conversations import services as conversations
from practica.repertoire import services as repertoire
from tests.analytics.factories import artifact, question
from tests.factories import CommunityFactory, DepartmentFactory, member

NOW = datetime(2026, 3, 15, 12, tzinfo=UTC)
START = NOW - timedelta(days=365)
# The marks are made at the real now, after NOW.
LATER = datetime.now(UTC) + timedelta(days=1)


def test_articulation_points_and_who_they_cut_off():
    # a - b - c - d, and b - e: b cuts off c, d (2) or e (1) → the largest
    # remaining group keeps 2 people (c, d), so 2 are cut off from it.
    adj = {
        "a": {"b"},
        "b": {"a", "c", "e"},
        "c": {"b", "d"},
        "d": {"c"},
        "e": {"b"},
    }
    got = network.articulation(adj)  # type: ignore[arg-type]
    assert got == {"b": 2, "c": 1}
    # A triangle has none; a star's centre cuts off all but one leaf.
    assert network.articulation({1: {2, 3}, 2: {1, 3}, 3: {1, 2}}) == {}
    star = {0: {1, 2, 3}, 1: {0}, 2: {0}, 3: {0}}
    assert network.articulation(star) == {0: 2}


@pytest.fixture
def help_given(db):
    """Ops helps Eng twice (accepted answers), Eng helps Eng once (worked
    mark), Sales is only helped (an artifact by an Ops owner)."""
    c = CommunityFactory()
    ops, eng, sales = (
        DepartmentFactory(name=n, slug=n) for n in ("Ops", "Eng", "Sales")
    )
    olga = member(
        c, Role.COORDINATOR, user__display_name="Olga", user__department=ops
    )
    erik = member(c, user__display_name="Erik", user__department=eng)
    emma = member(c, user__display_name="Emma", user__department=eng)
    sam = member(c, user__display_name="Sam", user__department=sales)
    lone = member(c, user__display_name="Lone")
    when = NOW - timedelta(days=10)
    q1 = question(erik, c, when, [(olga, when)], accept=0)
    question(emma, c, when, [(olga, when)], accept=0)
    question(olga, c, NOW - timedelta(days=400), [(erik, when)], accept=0)
    conversations.reply_worked(user=emma, reply=q1.accepted_reply)
    a = artifact(olga, c)
    repertoire.artifact_helped(user=sam, artifact=a)
    return c, {
        "olga": olga,
        "erik": erik,
        "emma": emma,
        "sam": sam,
        "lone": lone,
    }


def test_edges_headline_departments_and_people(help_given):
    c, _ = help_given
    net = network.build([c.pk], START, LATER)
    assert net.by_kind == {"answer": 2, "worked": 1, "artifact": 1}
    assert net.total == 4
    # Olga (Ops) → Erik, Emma (Eng), Olga → Sam (Sales): cross; the
    # worked mark is Olga's answer too (Olga → Emma).
    assert net.cross == 4
    assert net.cross_share == 1
    names = {d.name: d for d in net.departments}
    assert names["Ops"].gave == 4 and names["Ops"].got == 0
    assert [d.name for d in net.only_give] == ["Ops"]
    assert sorted(d.name for d in net.only_take) == ["Eng", "Sales"]
    assert net.flows[("Ops", "Eng")] == 3
    assert [x.name for x in net.isolated] == ["Lone"]
    # Olga links Erik, Emma and Sam, who have no other link.
    assert [(x.name, n) for x, n in net.connectors] == [("Olga", 2)]
    assert net.helpers == 1 and net.helped == 3 and net.members == 5


def test_overload_names_who_gives_most_of_the_help(db):
    c = CommunityFactory()
    busy = member(c, user__display_name="Busy")
    askers = [member(c) for _ in range(6)]
    when = NOW - timedelta(days=3)
    for a in askers:
        question(a, c, when, [(busy, when)], accept=0)
    net = network.build([c.pk], START, NOW)
    assert [(x.name, why) for x, why in net.overloaded] == [
        ("Busy", "gave 6 of 6 acts of help")
    ]


def test_strip_people_keeps_only_aggregates(help_given):
    c, _ = help_given
    net = network.build([c.pk], START, LATER).strip_people()
    assert net.people == {} and net.connectors == [] and net.isolated == []
    assert net.isolated_count == 1 and net.total == 4
