"""The profile page with the claiming box in it: the two lines the
lead adds to accounts/person.html (see docs/import-export.md)."""

import pytest
from django.template import engines
from django.template.loader import get_template
from django.urls import reverse

from practica.communities.models import Role
from tests.factories import member

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.transfer.test_claim_views"),
]


def wired_person_template():
    """accounts/person.html, with the box added if it is not there yet."""
    source = get_template("accounts/person.html").template.source
    if "claim_box" not in source:
        source = source.replace("{% load tz %}", "{% load tz claim %}", 1)
        head_end = source.index('<div class="columns person-columns">')
        source = (
            source[:head_end] + "{% claim_box person %}\n" + source[head_end:]
        )
    return engines["django"].from_string(source)


@pytest.fixture
def wired(monkeypatch):
    template = wired_person_template()
    from practica.accounts import views

    real = views.render

    def render(request, name, context=None, *args, **kwargs):
        if name == "accounts/person.html":
            from django.http import HttpResponse

            return HttpResponse(
                template.render(context, request), *args, **kwargs
            )
        return real(request, name, context, *args, **kwargs)

    monkeypatch.setattr(views, "render", render)


def test_the_profile_shows_the_box_to_a_coordinator(client, community, wired):
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
