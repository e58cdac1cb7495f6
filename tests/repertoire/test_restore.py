"""Restoring an obsolete artifact: the service, the page's button and the
API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from practica.core.models import Activity
from practica.repertoire import services
from practica.repertoire.models import Artifact
from tests.api.conftest import Api, ok, problem
from tests.factories import member

pytestmark = pytest.mark.django_db


def make(author, community, **kw) -> Artifact:
    fields = {
        "title": "Lockout/tagout routine",
        "body": "1. Isolate.\n2. Lock.",
        "status": "published",
    }
    fields.update(kw)
    return services.artifact_create(
        author=author, community=community, **fields
    )


@pytest.fixture
def owner(community):
    return member(community, user__display_name="Olga Owner")


@pytest.fixture
def retired(owner, community):
    """An obsolete artifact, replaced by a newer one."""
    old = make(owner, community)
    newer = make(owner, community, title="Lockout v2")
    services.artifact_mark_obsolete(
        actor=owner, artifact=old, reason="Superseded", replaced_by=newer
    )
    old.refresh_from_db()
    return old


def test_restore_takes_back_obsolete(owner, retired):
    newer = retired.replaced_by
    version = newer.version
    a = services.artifact_restore(actor=owner, artifact=retired)
    a.refresh_from_db()
    assert (a.obsolete, a.obsolete_reason, a.replaced_by) == (
        False,
        "",
        None,
    )
    assert a.version == retired.version + 1
    # The newer one no longer lists it under "Replaces".
    newer.refresh_from_db()
    assert newer.version == version + 1
    assert Activity.objects.filter(verb="artifact.restored").count() == 1


def test_restore_refuses_what_is_not_obsolete(owner, community):
    a = make(owner, community)
    with pytest.raises(ValidationError, match="is not marked obsolete"):
        services.artifact_restore(actor=owner, artifact=a)


def test_restore_refuses_who_may_not_edit(retired, community):
    with pytest.raises(PermissionDenied):
        services.artifact_restore(actor=member(community), artifact=retired)
    retired.refresh_from_db()
    assert retired.obsolete


def test_the_page_restores_and_readers_see_it_at_once(
    client, owner, retired, community
):
    url = reverse("repertoire:detail", args=[retired.pk])
    assert "Obsolete." in client.get(url).content.decode()  # cached
    client.force_login(owner)
    page = client.get(url).content.decode()
    restore = reverse("repertoire:restore", args=[retired.pk])
    assert f'action="{restore}"' in page
    response = client.post(restore, follow=True)
    shown = response.content.decode()
    assert "Restored: it reads as current again" in shown
    assert "Obsolete." not in shown
    assert "Mark obsolete…" in shown
    # A second restore says why nothing happened.
    again = client.post(restore, follow=True).content.decode()
    assert "is not marked obsolete" in again
    client.logout()
    assert "Obsolete." not in client.get(url).content.decode()
    # A plain member has no button and no way round it.
    client.force_login(member(community))
    assert f'action="{restore}"' not in client.get(url).content.decode()
    assert client.post(restore).status_code == 403


def test_the_api_restores(client: Client, owner, retired, community):
    api = Api(client)
    path = f"/artifacts/{retired.pk}/restore"
    problem(api.post(path), 401)
    problem(api.post(path, user=member(community)), 403)
    body = ok(api.post(path, user=owner))
    assert body["obsolete"] is False
    assert body["replaced_by"] is None
    problem(api.post(path, user=owner), 409)
