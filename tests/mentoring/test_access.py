"""Who may see and do what in help and mentoring: role by action."""

import pytest
from django.contrib.auth.models import AnonymousUser

from practica import access
from practica.communities.models import Role
from practica.mentoring import services
from tests.factories import member
from tests.mentoring.factories import helper, need, offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(community, coordinator):
    mentor = helper(community)
    mentee = member(community, Role.NEWCOMER)
    o = offer(mentor, community)
    r = need(mentee, community)
    m = services.match_propose(actor=coordinator, offer=o, request=r)
    ms = services.mentorship_create(
        actor=coordinator, community=community, mentor=mentor, mentee=mentee
    )
    return {
        "community": community,
        "offer": o,
        "request": r,
        "match": m,
        "mentorship": ms,
        "coordinator": coordinator,
        "mentor": mentor,
        "mentee": mentee,
        "member": member(community),
        "outsider": member(type(community).objects.create(
            name="Elsewhere", slug="elsewhere", tagline="x")),
        "anonymous": AnonymousUser(),
    }  # fmt: skip


TABLE = [
    # (who, action, what, allowed)
    ("member", "help", "community", True),
    ("outsider", "help", "community", False),
    ("anonymous", "help", "community", False),
    ("coordinator", "match_help", "community", True),
    ("member", "match_help", "community", False),
    ("member", "view", "offer", True),
    ("outsider", "view", "offer", False),
    ("mentor", "edit", "offer", True),
    ("member", "edit", "offer", False),
    ("coordinator", "edit", "offer", True),
    ("member", "view", "request", True),
    ("mentee", "edit", "request", True),
    ("member", "edit", "request", False),
    ("mentor", "view", "match", True),
    ("mentee", "answer", "match", True),
    ("coordinator", "view", "match", True),
    ("coordinator", "answer", "match", False),
    ("member", "view", "match", False),
    ("mentee", "confirm", "match", True),
    ("mentor", "confirm", "match", False),
    ("mentor", "take_part", "mentorship", True),
    ("coordinator", "view", "mentorship", True),
    ("coordinator", "take_part", "mentorship", False),
    ("member", "view", "mentorship", False),
]


@pytest.mark.parametrize(("who", "action", "what", "allowed"), TABLE)
def test_permission_table(world, who, action, what, allowed):
    assert access.can(world[who], action, world[what]) is allowed
