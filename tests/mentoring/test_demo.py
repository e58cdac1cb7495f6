"""The demo's help and mentoring on a small organisation: loads through
the services, and a second run adds nothing."""

import pytest

from practica.communities.models import Role
from practica.mentoring.models import HelpOffer, Match, Mentorship, Pathway
from practica.web import demo_mentoring
from tests.factories import CommunityFactory, member
from tests.mentoring.factories import helper

pytestmark = pytest.mark.django_db


def test_load_is_idempotent():
    c = CommunityFactory(slug="platform-practice")
    member(c, Role.COORDINATOR)
    for n in range(3):
        helper(c, {"Terraform": 5 - n, "Kubernetes": 4}, role=Role.CORE)
    for _ in range(4):
        member(c, Role.NEWCOMER)
    first = demo_mentoring.load()
    assert first["added"] > 0
    assert HelpOffer.objects.count() == 3
    assert Match.objects.exists()
    assert Mentorship.objects.exists()
    assert Pathway.objects.get().steps.count() == 5
    again = demo_mentoring.load()
    assert again["added"] == 0
    assert {k: v for k, v in again.items() if k != "added"} == {
        k: v for k, v in first.items() if k != "added"
    }
