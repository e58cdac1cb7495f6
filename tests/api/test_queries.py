"""List endpoints load a page in a fixed number of queries."""

import pytest

from practica.accounts import services as accounts
from practica.accounts.models import Department
from practica.communities import services
from practica.communities.models import Policy, Role
from tests.api.conftest import Api, ok
from tests.factories import (
    CommunityFactory,
    DepartmentFactory,
    ExpertiseFactory,
    SkillFactory,
    UserFactory,
    member,
)

ROWS = 12


@pytest.fixture
def crowd(community):
    """A community with many members, each with expertise."""
    skills = [SkillFactory() for _ in range(3)]
    dept = DepartmentFactory()
    for i in range(ROWS):
        person = member(community)
        person.department = dept
        person.save()
        for skill in skills[: 1 + i % 3]:
            ExpertiseFactory(user=person, skill=skill)
    return community


def test_community_list(api: Api, user, django_assert_max_num_queries):
    depts: list[Department] = [DepartmentFactory() for _ in range(3)]
    for _ in range(ROWS):
        c = CommunityFactory()
        c.departments.set(depts)
        member(c).memberships.update(user=user)
    api.token(user)
    # Cold: token, last-use stamp, memberships, the page's stamps, then
    # the page and its departments
    with django_assert_max_num_queries(6):
        body = ok(api.get("/communities", user=user))
    assert len(body["items"]) == ROWS
    assert all(len(c["departments"]) == 3 for c in body["items"])
    # Warm: token, last-use stamp, memberships, the page's stamps
    with django_assert_max_num_queries(4):
        assert ok(api.get("/communities", user=user)) == body
    ok(api.get("/communities"))
    with django_assert_max_num_queries(1):
        ok(api.get("/communities"))
    # A filtered page: page, departments (each item from the cache)
    with django_assert_max_num_queries(2):
        ok(api.get("/communities", q="Community"))


def test_community_detail(api: Api, crowd, django_assert_max_num_queries):
    viewer = UserFactory()
    api.token(viewer)
    # token, stamp, community, memberships, coordinators, activity,
    # departments
    with django_assert_max_num_queries(7):
        ok(api.get(f"/communities/{crowd.slug}", user=viewer))


def test_member_list(api: Api, crowd, django_assert_max_num_queries):
    viewer = UserFactory()
    api.token(viewer)
    # token, last-use stamp, community, page, expertise with skills
    with django_assert_max_num_queries(5):
        body = ok(api.get(f"/communities/{crowd.slug}/members", user=viewer))
    assert len(body["items"]) == ROWS
    assert sum(len(m["person"]["expertise"]) for m in body["items"]) == 24


def test_people_list(api: Api, crowd, django_assert_max_num_queries):
    viewer = UserFactory()
    api.token(viewer)
    # token, stamp, page, expertise with skills
    with django_assert_max_num_queries(4):
        body = ok(api.get("/people", user=viewer))
    assert len(body["items"]) == ROWS + 1


def test_request_list(api: Api, django_assert_max_num_queries):
    c = CommunityFactory(policy=Policy.APPROVAL)
    boss = member(c, Role.COORDINATOR)
    for _ in range(ROWS):
        person = UserFactory(department=DepartmentFactory())
        ExpertiseFactory(user=person)
        services.community_join(
            user=person,
            community=c,
            practice_statement="Years of doing exactly this kind of work.",
        )
    api.token(boss)
    with django_assert_max_num_queries(6):
        body = ok(api.get(f"/communities/{c.slug}/requests", user=boss))
    assert len(body) == ROWS


def test_invitation_list(
    api: Api, community, coordinator, django_assert_max_num_queries
):
    for i in range(ROWS):
        inviter = member(community, Role.CORE)
        services.invitation_create(
            actor=inviter, community=community, email=f"n{i}@example.org"
        )
    api.token(coordinator)
    with django_assert_max_num_queries(5):
        body = ok(
            api.get(
                f"/communities/{community.slug}/invitations", user=coordinator
            )
        )
    assert len({i["invited_by"]["id"] for i in body}) == ROWS


def test_token_list(api: Api, user, django_assert_max_num_queries):
    for i in range(ROWS):
        accounts.token_create(actor=user, name=f"t{i}")
    api.token(user)
    with django_assert_max_num_queries(3):
        assert len(ok(api.get("/me/tokens", user=user))) == ROWS + 1
