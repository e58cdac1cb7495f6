"""The events permission table: role by action by visibility."""

import pytest
from django.contrib.auth.models import AnonymousUser

from practica import access
from practica.communities.models import Role, Visibility
from practica.events.models import Occurrence
from tests.events.factories import event
from tests.factories import CommunityFactory, UserFactory, member

pytestmark = pytest.mark.django_db

ROLES = [None, "outsider", Role.NEWCOMER, Role.MEMBER, Role.CORE,
         Role.COORDINATOR, "host"]  # fmt: skip
# action → the roles allowed (in a public community)
TABLE = {
    "view": {None, "outsider", Role.NEWCOMER, Role.MEMBER, Role.CORE,
             Role.COORDINATOR, "host"},
    "take_part": {Role.NEWCOMER, Role.MEMBER, Role.CORE, Role.COORDINATOR,
                  "host"},
    "host": {Role.CORE, Role.COORDINATOR, "host"},
    "edit": {Role.CORE, Role.COORDINATOR, "host"},
}  # fmt: skip
COMMUNITY_TABLE = {
    "schedule": {Role.MEMBER, Role.CORE, Role.COORDINATOR, "host"},
    "rhythm": {Role.COORDINATOR},
}


def _who(community, role, host):  # type: ignore[no-untyped-def]
    if role is None:
        return AnonymousUser()
    if role == "outsider":
        return UserFactory()
    if role == "host":
        return host
    return member(community, role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("visibility", list(Visibility.values))
def test_permission_table(role, visibility):  # type: ignore[no-untyped-def]
    community = CommunityFactory(visibility=visibility)
    coordinator = member(community, Role.COORDINATOR)
    host = member(community, Role.MEMBER)
    e = event(community, coordinator, hosts=[host])
    who = _who(community, role, host)
    hidden = (visibility != Visibility.PUBLIC and role is None) or (
        visibility == Visibility.PRIVATE and role == "outsider"
    )
    for action, allowed in TABLE.items():
        expected = role in allowed and not hidden
        assert access.can(who, action, e) is expected, (action, role)
    for action, allowed in COMMUNITY_TABLE.items():
        expected = role in allowed
        assert access.can(who, action, community) is expected, (action, role)
    o = Occurrence(event=e)
    assert access.can(who, "rsvp", o) is access.can(who, "take_part", e)
    assert access.can(who, "host", o) is access.can(who, "host", e)


def test_a_host_who_left_no_longer_runs_the_event(community, coordinator):
    host = member(community)
    e = event(community, coordinator, hosts=[host])
    host.memberships.update(status="left")
    access.forget(host)
    assert not access.can(host, "host", e)
