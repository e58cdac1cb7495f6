"""An edit that crossed someone else's save comes back as a page (200),
with the conflict shown and the editor's text kept: a 409 made browsers
log the page as a failed load."""

import pytest
from django.urls import reverse

from practica.communities.models import Role
from practica.repertoire import services
from tests.factories import member

pytestmark = pytest.mark.django_db


def test_the_conflict_is_a_page_that_keeps_the_text(client, community):
    owner = member(community)
    core = member(community, role=Role.CORE)
    a = services.artifact_create(
        author=owner,
        community=community,
        title="Lockout",
        body="1. Isolate.",
        status="published",
    )
    services.artifact_edit(
        actor=owner,
        artifact=a,
        base_revision=1,
        title="Lockout",
        body="1. Isolate.\n2. Lock.",
    )
    client.force_login(core)
    response = client.post(
        reverse("repertoire:edit", args=[a.pk]),
        {
            "kind": "best_practice",
            "title": "Lockout",
            "body": "1. Isolate.\n2. Wear gloves.",
            "tags": "",
            "base_revision": "1",
            "message": "Gloves",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved while you were editing" in page
    assert "1. Isolate.\n2. Wear gloves.</textarea>" in page
    assert 'name="base_revision" value="2"' in page
    a.refresh_from_db()
    assert a.revision == 2
