"""The artifact page's cached reader view: what readers see is shared,
keyed by versions, so any write shows at once, per-reader parts stay
per reader and a cache hit costs one query for a signed-out visitor."""

import pickle
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from practica.analytics import services as stories
from practica.communities.models import Role, Visibility
from practica.repertoire import services
from practica.repertoire.models import DUE_SOON, Artifact
from practica.repertoire.views import _ttl
from tests.factories import member

pytestmark = pytest.mark.django_db


def make(author, community, **kw) -> Artifact:
    fields = {
        "title": "Lockout/tagout routine",
        "body": "1. Isolate.\n2. Lock.\n3. Verify.",
        "kind": "routine",
        "status": "published",
    }
    fields.update(kw)
    return services.artifact_create(
        author=author, community=community, **fields
    )


def cached(name: str) -> list[str]:
    """The fragments named ``name`` in the (local memory) cache."""
    return [
        pickle.loads(value)  # noqa: S301 (our own test cache)
        for key, value in cache._cache.items()  # type: ignore[attr-defined]
        if f":frag:{name}:" in key
    ]


def url(a: Artifact) -> str:
    return reverse("repertoire:detail", args=[a.pk])


def page(client, a: Artifact) -> str:
    response = client.get(url(a))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def owner(community):
    return member(community, user__display_name="Olga Owner")


@pytest.fixture
def artifact(owner, community):
    return make(owner, community)


def test_a_visitors_hit_is_one_query(
    client, artifact, django_assert_num_queries
):
    first = page(client, artifact)
    with django_assert_num_queries(1):
        again = page(client, artifact)
    assert again == first
    assert "Lockout/tagout routine" in again
    assert "csrfmiddlewaretoken" not in again


def test_an_edit_shows_at_once(client, artifact, owner):
    page(client, artifact)
    services.artifact_edit(
        actor=owner,
        artifact=artifact,
        base_revision=1,
        title="Lockout/tagout, revised",
        body="1. Isolate every source.",
    )
    shown = page(client, artifact)
    assert "Lockout/tagout, revised" in shown
    assert "Isolate every source" in shown
    assert "Revision 2" in shown


def test_marks_files_and_owners_show_at_once(
    client, artifact, owner, community
):
    page(client, artifact)
    services.artifact_helped(user=member(community), artifact=artifact)
    assert "Helped 1 person" in page(client, artifact)
    att = services.attachment_add(
        actor=owner,
        artifact=artifact,
        upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4"),
    )
    assert "plan.pdf" in page(client, artifact)
    services.attachment_remove(actor=owner, attachment=att)
    assert "plan.pdf" not in page(client, artifact)
    other = member(community, user__display_name="Nina Newowner")
    services.artifact_set_owners(
        actor=owner, artifact=artifact, owners=[owner, other]
    )
    assert "Nina Newowner" in page(client, artifact)


def test_replacements_show_at_once(client, artifact, owner, community):
    newer = make(owner, community, title="Lockout v2", status="draft")
    page(client, artifact)
    services.artifact_mark_obsolete(
        actor=owner, artifact=artifact, reason="Superseded", replaced_by=newer
    )
    old_page = page(client, artifact)
    assert "Obsolete." in old_page
    # A draft replacement stays hidden from visitors ...
    assert "Lockout v2" not in old_page
    services.artifact_set_status(
        actor=owner, artifact=newer, status="published"
    )
    # ... and shows once published; the new one lists what it replaces.
    assert "Lockout v2" in page(client, artifact)
    assert "Lockout/tagout routine" in page(client, newer)
    services.artifact_edit(
        actor=owner,
        artifact=artifact,
        base_revision=1,
        title="Old lockout",
        body="1. Isolate.",
    )
    assert "Old lockout" in page(client, newer)


def test_stories_citing_show_at_once(client, artifact, community):
    teller = member(community)
    page(client, artifact)
    story = stories.story_create(
        author=teller,
        community=community,
        title="The press stopped in time",
        cycle="immediate",
        happened="We followed the routine.",
        difference="Nobody was hurt.",
        links=[f"artifact:{artifact.pk}"],
    )
    assert "The press stopped in time" in page(client, artifact)
    coordinator = member(community, role=Role.COORDINATOR)
    stories.story_hide(actor=coordinator, story=story, note="Names a person")
    assert "The press stopped in time" not in page(client, artifact)


def test_a_private_community_shuts_its_cached_page(
    client, artifact, community
):
    page(client, artifact)
    community.visibility = Visibility.PRIVATE
    community.save(update_fields=["visibility"])
    assert client.get(url(artifact)).status_code == 404


def test_a_draft_is_never_served_to_visitors(
    client, artifact, owner, community
):
    page(client, artifact)
    services.artifact_set_status(
        actor=owner, artifact=artifact, status="draft"
    )
    assert client.get(url(artifact)).status_code == 404
    # Its owner, signed in, still sees it (and manages it).
    client.force_login(owner)
    assert "Manage" in page(client, artifact)


def test_readers_share_the_page_but_not_their_marks(
    client, artifact, owner, community
):
    ann, ben = member(community), member(community)
    services.artifact_helped(user=ann, artifact=artifact)
    client.force_login(ann)
    mine = page(client, artifact)
    assert 'aria-pressed="true"' in mine
    assert "Follow" in mine
    assert "Tell a value story about this" in mine
    client.force_login(ben)
    theirs = page(client, artifact)
    assert 'aria-pressed="false"' in theirs
    assert "Manage" not in theirs
    # Each reader's form gets their own token: the shared part has none.
    assert "csrfmiddlewaretoken" in theirs
    shared = cached("artifact-reader")
    assert shared
    assert not any("csrfmiddlewaretoken" in html for html in shared)
    assert not any("aria-pressed" in html for html in shared)
    # An editor never gets the readers' page.
    client.force_login(owner)
    assert "Manage" in page(client, artifact)
    client.force_login(ben)
    assert "Manage" not in page(client, artifact)


def test_an_outsider_sees_no_follow_link_or_story_invitation(client, artifact):
    shown = page(client, artifact)
    assert "Follow" not in shown
    assert "This helped me" not in shown
    assert "Tell a value story" not in shown


def test_a_signed_in_readers_queries_are_fixed(
    client, artifact, community, django_assert_max_num_queries
):
    reader = member(community)
    client.force_login(reader)
    page(client, artifact)
    # session, user, artifact, owners, memberships, files, credits,
    # replaces, helped, stories
    with django_assert_max_num_queries(10):
        page(client, artifact)


def test_the_entry_lives_until_the_review_state_changes(artifact):
    now = timezone.now()
    artifact.updated_at = now - timedelta(days=60)
    artifact.verified_until = now + DUE_SOON + timedelta(seconds=30)
    assert _ttl(artifact, now) == 31
    artifact.verified_until = now + timedelta(seconds=90)
    assert _ttl(artifact, now) == 91
    artifact.verified_until = now - timedelta(days=1)
    assert _ttl(artifact, now) == 600
    artifact.updated_at = now - timedelta(seconds=5)
    assert _ttl(artifact, now) == 1
