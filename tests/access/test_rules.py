"""The permission table: role x action x visibility (and policy)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from practica import access
from practica.communities.models import Policy, Role, Status, Visibility
from tests.factories import (
    CommunityFactory,
    ExpertiseFactory,
    UserFactory,
    member,
)

WHO = [
    "anonymous",
    "outsider",
    "pending",
    "newcomer",
    "member",
    "core",
    "coordinator",
    "operator",
]
PUB, ORG, PRI = Visibility.PUBLIC, Visibility.ORGANISATION, Visibility.PRIVATE

# Who may, per action and visibility (policy open unless stated).
TABLE = {
    "view": {
        PUB: set(WHO),
        ORG: set(WHO) - {"anonymous"},
        PRI: {
            "pending",
            "newcomer",
            "member",
            "core",
            "coordinator",
            "operator",
        },
    },
    "view_members": {
        PUB: set(WHO) - {"anonymous"},
        ORG: set(WHO) - {"anonymous"},
        PRI: {
            "pending",
            "newcomer",
            "member",
            "core",
            "coordinator",
            "operator",
        },
    },
    "join": {
        PUB: set(WHO) - {"anonymous"},
        ORG: set(WHO) - {"anonymous"},
        PRI: {
            "pending",
            "newcomer",
            "member",
            "core",
            "coordinator",
            "operator",
        },
    },
    "participate": {
        v: {"newcomer", "member", "core", "coordinator", "operator"}
        for v in (PUB, ORG, PRI)
    },
    "leave": {
        v: {"newcomer", "member", "core", "coordinator"}
        for v in (PUB, ORG, PRI)
    },
    "invite": {
        v: {"core", "coordinator", "operator"} for v in (PUB, ORG, PRI)
    },
    "edit": {v: {"coordinator", "operator"} for v in (PUB, ORG, PRI)},
    "moderate": {v: {"coordinator", "operator"} for v in (PUB, ORG, PRI)},
}
CASES = [
    (action, visibility, who, who in allowed)
    for action, by_visibility in TABLE.items()
    for visibility, allowed in by_visibility.items()
    for who in WHO
]


def person(community, who):
    if who == "anonymous":
        return AnonymousUser()
    if who == "operator":
        return UserFactory(is_superuser=True, is_staff=True)
    if who == "outsider":
        return UserFactory()
    if who == "pending":
        return member(community, Role.NEWCOMER, Status.PENDING)
    return member(community, who)


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "visibility", "who", "allowed"), CASES)
def test_permission_table(action, visibility, who, allowed):
    community = CommunityFactory(visibility=visibility)
    user = person(community, who)
    assert access.can(user, action, community) is allowed
    if allowed:
        access.require(user, action, community)
    else:
        with pytest.raises(PermissionDenied) as exc:
            access.require(user, action, community)
        assert str(exc.value)  # a reason a person can read


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["outsider", "member", "operator"])
def test_invitation_only_community_refuses_join(who):
    community = CommunityFactory(policy=Policy.INVITATION)
    user = person(community, who)
    assert not access.can(user, "join", community)
    assert "invitation" in access.reason(user, "join", community)


@pytest.mark.django_db
def test_left_and_removed_members_lose_member_rights():
    community = CommunityFactory(visibility=PRI)
    for status in (Status.LEFT, Status.REMOVED, Status.DECLINED):
        user = member(community, Role.MEMBER, status)
        assert not access.can(user, "view", community)
        assert not access.can(user, "participate", community)


@pytest.mark.django_db
def test_visible_communities_matches_view_rule():
    communities = [CommunityFactory(visibility=v) for v in (PUB, ORG, PRI)]
    insider = member(communities[2])
    outsider = UserFactory()
    for user in (AnonymousUser(), outsider, insider):
        listed = set(access.visible_communities(user))
        expected = {c for c in communities if access.can(user, "view", c)}
        assert listed == expected


@pytest.mark.django_db
def test_people_and_expertise_rules():
    community = CommunityFactory()
    coordinator = member(community, Role.COORDINATOR)
    someone = member(community)
    stranger = UserFactory()
    expertise = ExpertiseFactory(user=someone)
    assert not access.can(AnonymousUser(), "view", someone)
    assert access.can(stranger, "view", someone)
    assert access.can(someone, "edit", someone)
    assert not access.can(stranger, "edit", someone)
    assert not access.can(someone, "endorse", expertise)
    assert access.can(stranger, "endorse", expertise)
    assert access.can(coordinator, "verify", expertise)
    assert not access.can(stranger, "verify", expertise)
    other_coordinator = member(CommunityFactory(), Role.COORDINATOR)
    assert not access.can(other_coordinator, "verify", expertise)


@pytest.mark.django_db
def test_unknown_action_is_a_programming_error(community):
    with pytest.raises(LookupError):
        access.can(UserFactory(), "fly", community)


@pytest.mark.django_db
def test_memberships_load_once(django_assert_num_queries, community):
    user = member(community)
    access.forget(user)
    with django_assert_num_queries(1):
        for _ in range(5):
            access.can(user, "participate", community)
