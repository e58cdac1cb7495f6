"""Repertoire lists and artifact pages load in a fixed number of queries,
however many artifacts, owners, tags, files, credits and marks there
are."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from practica.communities.models import Community
from practica.repertoire import services
from practica.repertoire.models import Artifact
from tests.api.conftest import Api, ok
from tests.api.test_repertoire import make
from tests.conversations.factories import answer, ask
from tests.factories import member


def grow(community: Community, artifact: Artifact, n: int) -> None:
    """Add n owners, files, marks, revisions and replaced artifacts."""
    owners = [*artifact.owners.all()]
    for i in range(n):
        owners.append(member(community))
        services.attachment_add(
            actor=owners[0],
            artifact=artifact,
            upload=SimpleUploadedFile(f"form-{i}.pdf", b"%PDF-1"),
        )
        services.artifact_helped(user=member(community), artifact=artifact)
        artifact.refresh_from_db()
        services.artifact_edit(
            actor=owners[0],
            artifact=artifact,
            base_revision=artifact.revision,
            title=artifact.title,
            body=f"{artifact.body}\n{i}. One more step.",
        )
        old = make(owners[0], community, title=f"Old way {i}")
        services.artifact_mark_obsolete(
            actor=owners[0], artifact=old, reason="Old", replaced_by=artifact
        )
    services.artifact_set_owners(
        actor=owners[0], artifact=artifact, owners=owners
    )


@pytest.fixture
def owner(community):
    return member(community)


@pytest.fixture
def artifact(owner, community):
    return make(owner, community, tags=["safety", "presses"])


@pytest.mark.parametrize("more", [0, 8])
def test_community_list(
    api: Api, community, owner, artifact, more, django_assert_max_num_queries
):
    for i in range(more):
        a = make(owner, community, title=f"Routine {i}", tags=["safety"])
        grow(community, a, 1)
        make(owner, community, title=f"Draft {i}", status="draft")
    viewer = member(community)
    api.token(viewer)
    path = f"/communities/{community.slug}/artifacts"
    # token, last-use stamp, community, memberships, page, owners
    with django_assert_max_num_queries(6):
        body = ok(api.get(path, user=viewer))
    assert len(body["items"]) == 1 + 2 * more  # with the old ways
    # the owner also sees the drafts
    api.token(owner)
    with django_assert_max_num_queries(6):
        body = ok(api.get(path, user=owner, sort="title"))
    assert len(body["items"]) == 1 + 3 * more
    # community, page, owners
    with django_assert_max_num_queries(3):
        ok(api.get(path, sort="helpful", tag="safety"))


@pytest.mark.parametrize("more", [0, 8])
def test_artifact_detail(
    api: Api, community, owner, artifact, more, django_assert_max_num_queries
):
    grow(community, artifact, 1 + more)
    q = ask(owner, community)
    answer(
        member(community), q, body=f"See /r/{artifact.pk}/ for how we do this."
    )
    path = f"/artifacts/{artifact.pk}"
    api.token(owner)
    # token, stamp, artifact with community, verifier, replacement and
    # source, owners, memberships, answer links, files with uploaders,
    # credits, replaced artifacts, my mark
    with django_assert_max_num_queries(10):
        body = ok(api.get(path, user=owner))
    assert len(body["owners"]) == 2 + more
    assert len(body["attachments"]) == 1 + more
    assert len(body["replaces"]) == 1 + more
    assert body["signals"]["helped_count"] == 1 + more
    # anonymous: no memberships, links or marks to load
    with django_assert_max_num_queries(5):
        ok(api.get(path))
    # the history (artifact, owners, revisions with authors) and a diff
    # (artifact, owners, two revisions with authors)
    with django_assert_max_num_queries(4):
        body = ok(api.get(f"{path}/revisions"))
    assert len(body) == 2 + more
    with django_assert_max_num_queries(4):
        ok(api.get(f"{path}/revisions/diff", **{"from": 1}))


@pytest.mark.parametrize("more", [0, 8])
def test_review_queue_and_glossary(
    api: Api, community, owner, more, django_assert_max_num_queries
):
    for i in range(1 + more):
        a = make(owner, community, title=f"Term {i}", kind="glossary")
        services.artifact_set_owners(
            actor=owner, artifact=a, owners=[owner, member(community)]
        )
    api.token(owner)
    # token, stamp, queue, owners
    with django_assert_max_num_queries(4):
        body = ok(api.get("/me/review-queue", user=owner))
    assert len(body) == 1 + more
    # community, terms
    with django_assert_max_num_queries(2):
        body = ok(api.get(f"/communities/{community.slug}/glossary"))
    assert len(body[0]["terms"]) == 1 + more
