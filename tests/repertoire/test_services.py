from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from practica.communities.models import Role
from practica.conversations import services as conv
from practica.repertoire import selectors, services
from practica.repertoire.models import Artifact, Attachment, Freshness
from tests.conversations.factories import answer, ask
from tests.factories import CommunityFactory, UserFactory, member

pytestmark = pytest.mark.django_db
BODY = "1. Isolate the energy source.\n2. Lock and tag it.\n3. Verify."


@pytest.fixture
def owner(community):
    return member(community)


@pytest.fixture
def artifact(owner, community):
    return services.artifact_create(
        author=owner,
        community=community,
        title="Lockout/tagout routine",
        body=BODY,
        kind="routine",
        status="published",
        tags=["safety"],
    )


class TestCreateEdit:
    def test_create_with_revision_and_owner(self, artifact, owner):
        assert list(artifact.owners.all()) == [owner]
        assert artifact.revisions.get().number == 1
        assert "<ol>" in artifact.body_html
        assert artifact.tag_names == ["safety"]

    def test_bad_input_all_named_nothing_written(self, owner, community):
        with pytest.raises(ValidationError) as exc:
            services.artifact_create(
                author=owner,
                community=community,
                title=" ",
                body="",
                kind="poem",
                review_days=999,
            )
        assert set(exc.value.message_dict) == {
            "title",
            "body",
            "kind",
            "review_days",
        }
        assert Artifact.objects.count() == 0

    def test_edit_and_conflict(self, artifact, owner, community):
        core = member(community, Role.CORE)
        services.artifact_edit(
            actor=core,
            artifact=artifact,
            base_revision=1,
            title=artifact.title,
            body=BODY + "\n4. Sign the log.",
            message="Add the log",
        )
        with pytest.raises(services.EditConflict) as exc:
            services.artifact_edit(
                actor=owner,
                artifact=artifact,
                base_revision=1,
                title="Mine",
                body="Mine wins",
            )
        assert "revision 2" in str(exc.value.message_dict["revision"])
        artifact.refresh_from_db()
        assert (artifact.revision, artifact.title) == (
            2,
            "Lockout/tagout routine",
        )

    def test_plain_member_cannot_edit(self, artifact, community):
        with pytest.raises(PermissionDenied):
            services.artifact_edit(
                actor=member(community),
                artifact=artifact,
                base_revision=1,
                title="x",
                body="y",
            )

    def test_revert_makes_a_new_revision(self, artifact, owner):
        services.artifact_edit(
            actor=owner,
            artifact=artifact,
            base_revision=1,
            title="New",
            body="New body",
        )
        first = artifact.revisions.get(number=1)
        a = services.artifact_revert(
            actor=owner, artifact=artifact, revision=first
        )
        assert (a.revision, a.title, a.body) == (3, first.title, BODY)
        other = services.artifact_create(
            author=owner,
            community=artifact.community,
            title="Other",
            body="Other body",
        )
        with pytest.raises(ValidationError, match="another artifact"):
            services.artifact_revert(
                actor=owner, artifact=artifact, revision=other.revisions.get()
            )

    def test_diff(self, artifact, owner):
        services.artifact_edit(
            actor=owner,
            artifact=artifact,
            base_revision=1,
            title=artifact.title,
            body=BODY.replace("Verify", "Try to start"),
        )
        diff = selectors.revision_diff(
            viewer=owner, artifact=artifact, old=1, new=2
        )
        assert ("delete", "3. Verify.") in diff.lines
        assert ("insert", "3. Try to start.") in diff.lines


class TestVerification:
    def test_verify_states(self, artifact, owner, community):
        assert artifact.freshness() == Freshness.UNVERIFIED
        a = services.artifact_verify(actor=owner, artifact=artifact, days=30)
        assert a.freshness() == Freshness.VERIFIED
        assert a.review_days == 30
        now = timezone.now()
        assert a.freshness(now + timedelta(days=20)) == Freshness.DUE
        assert a.freshness(now + timedelta(days=31)) == Freshness.EXPIRED
        with pytest.raises(ValidationError) as exc:
            services.artifact_verify(actor=owner, artifact=artifact, days=0)
        assert "review_days" in exc.value.message_dict
        with pytest.raises(PermissionDenied):
            services.artifact_verify(
                actor=member(community), artifact=artifact
            )

    def test_community_default_and_review_queue(self, artifact, owner):
        a = services.artifact_verify(actor=owner, artifact=artifact)
        assert (a.verified_until - a.verified_at).days == 90
        assert list(selectors.review_queue(viewer=owner)) == []
        Artifact.objects.filter(pk=a.pk).update(
            verified_until=timezone.now() + timedelta(days=3)
        )
        assert list(selectors.review_queue(viewer=owner)) == [a]

    def test_obsolete_with_replacement(self, artifact, owner, community):
        new = services.artifact_create(
            author=owner, community=community, title="LOTO v2", body="Better"
        )
        a = services.artifact_mark_obsolete(
            actor=owner,
            artifact=artifact,
            reason="Superseded",
            replaced_by=new,
        )
        assert a.obsolete and a.replaced_by == new
        elsewhere = services.artifact_create(
            author=member(c2 := CommunityFactory()),
            community=c2,
            title="Elsewhere",
            body="Body",
        )
        with pytest.raises(ValidationError):
            services.artifact_mark_obsolete(
                actor=owner, artifact=new, reason="x", replaced_by=elsewhere
            )


class TestCapture:
    def test_capture_solved_question(self, community):
        asker, answerer = member(community), member(community)
        q = ask(asker, community, tags=["presses"])
        with pytest.raises(ValidationError, match="solved"):
            services.artifact_capture(actor=asker, conversation=q)
        r = answer(answerer, q)
        conv.reply_accept(actor=asker, reply=r)
        a = services.artifact_capture(actor=asker, conversation=q)
        assert a.status == "draft" and a.title == q.title
        assert r.body in a.body and answerer.name in a.body
        assert list(a.credits.all()) == [answerer]
        page = selectors.artifact_page(viewer=asker, pk=a.pk)
        assert page.source_url == f"/q/{q.pk}/"
        assert selectors.captured_from(viewer=asker, conversation=q) == [a]
        # a draft: hidden from other members, who cannot capture again
        other = member(community)
        assert selectors.captured_from(viewer=other, conversation=q) == []
        with pytest.raises(ValidationError, match="draft its owners"):
            services.artifact_capture(actor=other, conversation=q)
        with pytest.raises(ValidationError, match="already captured as"):
            services.artifact_capture(actor=asker, conversation=q)


class TestFilesAndMarks:
    def test_attachment_rules(self, artifact, owner, settings):
        settings.PRACTICA_ATTACHMENT_MAX_BYTES = 10
        with pytest.raises(ValidationError, match="at most"):
            services.attachment_add(
                actor=owner,
                artifact=artifact,
                upload=SimpleUploadedFile("big.pdf", b"x" * 11),
            )
        with pytest.raises(ValidationError, match="not accepted"):
            services.attachment_add(
                actor=owner,
                artifact=artifact,
                upload=SimpleUploadedFile("evil.html", b"<script>"),
            )
        att = services.attachment_add(
            actor=owner,
            artifact=artifact,
            upload=SimpleUploadedFile("form.pdf", b"%PDF-1"),
        )
        assert (att.name, att.content_type, att.size) == (
            "form.pdf",
            "application/pdf",
            6,
        )
        with att.file.open("rb") as stored:
            assert stored.read() == b"%PDF-1"
        services.attachment_remove(actor=owner, attachment=att)
        assert Attachment.objects.count() == 0

    def test_helped_once_not_owner(self, artifact, owner, community):
        fan = member(community)
        services.artifact_helped(user=fan, artifact=artifact)
        services.artifact_helped(user=fan, artifact=artifact)
        artifact.refresh_from_db()
        assert artifact.helped_count == 1
        with pytest.raises(ValidationError, match="own"):
            services.artifact_helped(user=owner, artifact=artifact)


class TestVisibility:
    def test_drafts_hidden_from_members(self, owner, community):
        draft = services.artifact_create(
            author=owner, community=community, title="Draft", body="Body text"
        )
        plain = member(community)
        page = selectors.artifact_list(viewer=plain, community=community)
        assert draft not in page.items
        page = selectors.artifact_list(viewer=owner, community=community)
        assert draft in page.items
        core = member(community, Role.CORE)
        assert (
            draft
            in selectors.artifact_list(viewer=core, community=community).items
        )
        with pytest.raises(Exception, match="No such"):
            selectors.artifact_get(viewer=UserFactory(), pk=draft.pk)

    def test_list_query_count_constant(
        self, owner, community, django_assert_max_num_queries
    ):
        def load():
            from practica import access

            access.forget(owner)
            return selectors.artifact_list(viewer=owner, community=community)

        for i in range(3):
            services.artifact_create(
                author=owner,
                community=community,
                title=f"A{i}",
                body="Body text",
                status="published",
            )
        with django_assert_max_num_queries(4):
            load()
        for i in range(10):
            services.artifact_create(
                author=owner,
                community=community,
                title=f"B{i}",
                body="Body text",
                status="published",
            )
        with django_assert_max_num_queries(4):
            assert len(load().items) == 13


def test_review_queue_forgets_communities_you_left(artifact, owner, community):
    from practica import access
    from practica.communities import services as communities

    assert list(selectors.review_queue(viewer=owner)) == [artifact]
    communities.community_leave(user=owner, community=community)
    access.forget(owner)
    assert list(selectors.review_queue(viewer=owner)) == []
