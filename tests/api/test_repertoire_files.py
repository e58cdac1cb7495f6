"""Files on artifacts: multipart upload with the service's size limit and
type allow-list, downloads only for those who may see the artifact."""

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse

from practica.accounts.models import User
from practica.communities.models import Role, Visibility
from practica.repertoire import services
from practica.repertoire.models import Artifact, Attachment
from tests.api.conftest import BASE, Api, ok, problem
from tests.api.test_repertoire import make
from tests.factories import CommunityFactory, UserFactory, member

PDF = b"%PDF-1.4 lockout form"


def upload(
    api: Api,
    artifact: Artifact,
    user: User | None,
    name: str = "form.pdf",
    content: bytes = PDF,
    **data: Any,
) -> HttpResponse:
    headers = {}
    if user is not None:
        headers["Authorization"] = f"Bearer {api.token(user)}"
    if name:
        data["file"] = SimpleUploadedFile(name, content)
    return api.client.post(
        f"{BASE}/artifacts/{artifact.pk}/attachments", data, headers=headers
    )


@pytest.fixture
def owner(community):
    return member(community)


@pytest.fixture
def artifact(owner, community):
    return make(owner, community)


@pytest.fixture
def draft(owner, community):
    return make(owner, community, title="Draft with a file", status="draft")


def attach(owner: User, artifact: Artifact, name: str = "form.pdf") -> int:
    att = services.attachment_add(
        actor=owner,
        artifact=artifact,
        upload=SimpleUploadedFile(name, PDF),
    )
    return att.pk


class TestUpload:
    def test_owner_attaches_a_file(self, api: Api, artifact, owner):
        body = ok(
            upload(api, artifact, owner, name="../../LOTO form.pdf"), 201
        )
        att = Attachment.objects.get()
        assert body == {
            "id": att.pk,
            "name": "LOTO form.pdf",
            "size": len(PDF),
            "content_type": "application/pdf",
            "uploaded_by": {"id": owner.pk, "name": owner.name},
            "created_at": body["created_at"],
            "download_url": f"{BASE}/attachments/{att.pk}/download",
        }
        with att.file.open("rb") as stored:
            assert stored.read() == PDF
        detail = ok(api.get(f"/artifacts/{artifact.pk}"))
        assert detail["attachments"] == [body]

    def test_too_large_is_422_naming_the_file(
        self, api: Api, artifact, owner, settings
    ):
        settings.PRACTICA_ATTACHMENT_MAX_BYTES = 10
        body = problem(
            upload(api, artifact, owner, content=b"x" * 11), 422, "file"
        )
        assert "at most" in body["errors"]["file"][0]
        assert not Attachment.objects.exists()

    @pytest.mark.parametrize(
        "name", ["page.html", "logo.svg", "run.exe", "script.js", "noext"]
    )
    def test_refused_types_are_422_naming_the_file(
        self, api: Api, artifact, owner, name
    ):
        body = problem(
            upload(api, artifact, owner, name=name, content=b"<script>"),
            422,
            "file",
        )
        assert "not accepted" in body["errors"]["file"][0]
        assert not Attachment.objects.exists()

    def test_missing_file_is_422(self, api: Api, artifact, owner):
        problem(upload(api, artifact, owner, name="", other="x"), 422, "file")

    def test_refusals(self, api: Api, artifact, draft, owner, community):
        body = problem(upload(api, artifact, member(community)), 403)
        assert "owners" in body["detail"]
        problem(upload(api, artifact, None), 401)
        problem(upload(api, draft, member(community)), 404)
        # core members may edit, so they may attach
        ok(upload(api, artifact, member(community, Role.CORE)), 201)
        assert Attachment.objects.count() == 1


class TestDownload:
    def test_anyone_who_may_see_it_downloads_it_as_an_attachment(
        self, api: Api, artifact, owner
    ):
        pk = attach(owner, artifact, name="LOTO form.pdf")
        for who in (None, UserFactory(), owner):
            response = api.get(f"/attachments/{pk}/download", user=who)
            assert response.status_code == 200
            assert response["Content-Type"] == "application/pdf"
            assert response["Content-Disposition"] == (
                'attachment; filename="LOTO form.pdf"'
            )
            assert response["X-Content-Type-Options"] == "nosniff"
            assert "sandbox" in response["Content-Security-Policy"]
            assert b"".join(response.streaming_content) == PDF

    def test_text_is_served_as_a_download_not_a_page(
        self, api: Api, artifact, owner
    ):
        pk = attach(owner, artifact, name="notes.txt")
        response = api.get(f"/attachments/{pk}/download")
        assert response["Content-Type"].startswith("text/plain")
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        b"".join(response.streaming_content)  # drains and closes it

    def test_draft_files_only_for_those_who_see_the_draft(
        self, api: Api, draft, owner, community, coordinator
    ):
        pk = attach(owner, draft)
        path = f"/attachments/{pk}/download"
        for who in (None, UserFactory(), member(community)):
            body = problem(api.get(path, user=who), 404)
            assert body["detail"] == "No such file."
        for who in (owner, member(community, Role.CORE), coordinator):
            response = api.get(path, user=who)
            assert response.status_code == 200
            assert response["Content-Disposition"].startswith("attachment")
            b"".join(response.streaming_content)  # drains and closes it

    @pytest.mark.parametrize("signed_in", [False, True])
    def test_private_community_files_are_404_for_outsiders(
        self, api: Api, signed_in
    ):
        secret = CommunityFactory(visibility=Visibility.PRIVATE)
        insider = member(secret)
        pk = attach(insider, make(insider, secret))
        path = f"/attachments/{pk}/download"
        problem(api.get(path, user=UserFactory() if signed_in else None), 404)
        response = api.get(path, user=insider)
        assert response.status_code == 200
        b"".join(response.streaming_content)  # drains and closes it
        problem(api.get("/attachments/999999/download"), 404)

    def test_a_file_lost_from_the_disk_is_404(self, api: Api, artifact, owner):
        pk = attach(owner, artifact)
        Path(Attachment.objects.get().file.path).unlink()
        body = problem(api.get(f"/attachments/{pk}/download", user=owner), 404)
        assert body["detail"] == "No such file."


class TestDelete:
    def test_owner_removes_a_file(
        self, api: Api, artifact, owner, django_capture_on_commit_callbacks
    ):
        pk = attach(owner, artifact)
        stored = Path(Attachment.objects.get().file.path)
        path = f"/attachments/{pk}"
        plain = member(artifact.community)
        problem(api.delete(path, user=plain), 403)
        problem(api.delete(path), 401)
        with django_capture_on_commit_callbacks(execute=True):
            ok(api.delete(path, user=owner), 204)
        assert not Attachment.objects.exists()
        assert not stored.exists()
        problem(api.get(f"{path}/download"), 404)
        problem(api.delete(path, user=owner), 404)
