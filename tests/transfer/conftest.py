"""Fixtures of the claiming tests: an imported account and a coordinator
of its community."""

import pytest

from practica.communities.models import Role
from tests.factories import member


@pytest.fixture
def imported(community):
    person = member(community, user__display_name="Ada Imported")
    person.email = "se-bikes-21@unclaimed.invalid"
    person.set_unusable_password()
    person.save()
    return person


@pytest.fixture
def lead(community):
    return member(community, Role.COORDINATOR)
