"""The profile page with the claiming box in it."""

import pytest
from django.urls import reverse

from practica.communities.models import Role
from tests.factories import member

pytestmark = pytest.mark.django_db


def test_the_profile_shows_the_box_to_a_coordinator(client, community):
    person = member(community, user__display_name="Ada Imported")
    person.email = "se-bikes-21@unclaimed.invalid"
    person.save()
    client.force_login(member(community, Role.COORDINATOR))
    page = client.get(reverse("accounts:person", args=[person.pk])).text
    assert "Imported account — hand it to its owner" in page
    assert 'name="csrfmiddlewaretoken"' in page
    client.force_login(member(community))
    page = client.get(reverse("accounts:person", args=[person.pk])).text
    assert "This is me" in page
    ordinary = member(community)
    page = client.get(reverse("accounts:person", args=[ordinary.pk])).text
    assert 'id="claim"' not in page
