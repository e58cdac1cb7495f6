"""The repertoire through its pages: who sees what, adding and editing
with revisions, the edit conflict, diffs and revert, verification and its
badges, obsolete artifacts, capture from a solved question, files,
"this helped me", the glossary and the owners' review queue."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from practica.communities.models import Role, Visibility
from practica.conversations import services as conv
from practica.repertoire import services
from practica.repertoire.models import Artifact, Attachment, Helped
from tests.conversations.factories import answer, ask
from tests.factories import CommunityFactory, UserFactory, member

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
BODY = "1. Isolate the energy source.\n2. Lock and tag it.\n3. Verify."


def html(response) -> str:
    return response.content.decode()


def field_errors(page: str, field: str) -> list[str]:
    """The error messages shown right beside one field."""
    return re.findall(
        rf'<p class="error" id="id_{field}_error">([^<]*)</p>', page
    )


def detail(a: Artifact) -> str:
    return reverse("repertoire:detail", args=[a.pk])


def listing(community) -> str:
    return reverse("repertoire:list", args=[community.slug])


def make(author, community, **kw) -> Artifact:
    fields = {
        "title": "Lockout/tagout routine",
        "body": BODY,
        "kind": "routine",
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
def artifact(owner, community):
    return make(owner, community, tags=["safety"])


@pytest.fixture
def private(db):
    return CommunityFactory(name="Inner Circle", visibility=Visibility.PRIVATE)


def status(client, url: str) -> int:
    """The status of a GET, with a streamed file closed again."""
    response = client.get(url)
    if response.streaming:  # draining a stream closes it
        b"".join(response.streaming_content)
    return response.status_code


def badge_texts(page: str) -> list[str]:
    return re.findall(r'<span class="badge fresh[^"]*">([^<]*)</span>', page)


# --- who may see what -----------------------------------------------------


def test_list_shows_published_and_hides_drafts_from_members(
    client, community, owner, artifact
):
    draft = make(
        owner, community, title="Half-written checklist", status="draft"
    )
    plain = member(community)
    client.force_login(plain)
    page = html(client.get(listing(community)))
    assert artifact.title in page
    assert draft.title not in page
    assert "Not verified" in badge_texts(page)
    assert "Routine / checklist" in page
    assert "Olga Owner" in page
    assert client.get(detail(draft)).status_code == 404

    client.force_login(owner)
    page = html(client.get(listing(community)))
    assert draft.title in page
    assert '<span class="badge rep-draft">Draft</span>' in page
    assert client.get(detail(draft)).status_code == 200
    # Core members curate, so they see drafts too.
    client.force_login(member(community, Role.CORE))
    assert client.get(detail(draft)).status_code == 200


def test_anonymous_reads_a_public_artifact_but_not_a_draft(
    client, community, owner, artifact
):
    draft = make(owner, community, title="Draft", status="draft")
    page = html(client.get(detail(artifact)))
    assert artifact.title in page
    assert "This helped me" not in page  # no button without an account
    assert client.get(detail(draft)).status_code == 404
    response = client.get(reverse("repertoire:edit", args=[artifact.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_private_community_pages_are_not_found_for_outsiders(client, private):
    insider = member(private)
    a = make(insider, private)
    att = services.attachment_add(
        actor=insider,
        artifact=a,
        upload=SimpleUploadedFile("form.pdf", b"%PDF-1"),
    )
    client.force_login(UserFactory())
    slug = private.slug
    urls = [
        reverse("repertoire:list", args=[slug]),
        reverse("repertoire:glossary", args=[slug]),
        reverse("repertoire:create", args=[slug]),
        detail(a),
        reverse("repertoire:revisions", args=[a.pk]),
        reverse("repertoire:diff", args=[a.pk]),
        reverse("repertoire:files", args=[a.pk]),
        reverse("repertoire:download", args=[att.pk]),
        reverse("repertoire:edit", args=[a.pk]),
    ]
    for url in urls:
        assert status(client, url) == 404, url
    client.force_login(insider)
    for url in urls:
        assert status(client, url) == 200, url


def test_plain_members_may_not_change_it(client, community, artifact):
    client.force_login(member(community))
    for name in ("edit", "verify", "obsolete", "owners"):
        response = client.get(
            reverse(f"repertoire:{name}", args=[artifact.pk])
        )
        assert response.status_code == 403, name
    response = client.post(
        reverse("repertoire:edit", args=[artifact.pk]),
        {
            "kind": "routine",
            "title": "Mine now",
            "body": "Mine",
            "base_revision": "1",
        },
    )
    assert response.status_code == 403
    assert "Only the artifact&#x27;s owners" in html(response)
    response = client.post(
        reverse("repertoire:status", args=[artifact.pk]),
        {"status": "archived"},
    )
    assert response.status_code == 403
    response = client.post(reverse("repertoire:revert", args=[artifact.pk, 1]))
    assert response.status_code == 403
    artifact.refresh_from_db()
    assert (artifact.title, artifact.status) == (
        "Lockout/tagout routine",
        "published",
    )
    page = html(client.get(detail(artifact)))
    assert reverse("repertoire:edit", args=[artifact.pk]) not in page
    assert 'id="verify"' not in page


# --- adding and editing ---------------------------------------------------


def test_add_an_artifact(client, community, owner):
    client.force_login(owner)
    url = reverse("repertoire:create", args=[community.slug])
    form = html(client.get(url + "?kind=glossary"))
    assert '<option value="glossary" selected>' in form
    assert "The community&#x27;s default (90 days)" in form
    response = client.post(
        url,
        {
            "kind": "best_practice",
            "title": "Check the die clearance first",
            "body": "Measure it with a **feeler gauge**.",
            "tags": "presses, safety",
            "status": "draft",
            "review_days": "180",
        },
        follow=True,
    )
    a = Artifact.objects.get()
    assert response.redirect_chain[-1][0] == detail(a)
    page = html(response)
    assert "Saved as a draft" in page
    assert "<strong>feeler gauge</strong>" in page
    assert (a.kind, a.status, a.review_days) == ("best_practice", "draft", 180)
    assert a.tag_names == ["presses", "safety"]
    assert list(a.owners.all()) == [owner]
    assert "Each verification lasts 180 days." in page


def test_add_errors_beside_the_fields(client, community, owner):
    client.force_login(owner)
    url = reverse("repertoire:create", args=[community.slug])
    page = html(
        client.post(
            url,
            {
                "kind": "poem",
                "title": "",
                "body": "",
                "status": "draft",
                "review_days": "7",
            },
        )
    )
    for name in ("kind", "title", "body", "review_days"):
        assert field_errors(page, name), name
    # The service's own checks land beside their fields as well.
    page = html(
        client.post(
            url,
            {
                "kind": "routine",
                "title": "x" * 250,
                "body": "Fine",
                "tags": "a, b, c, d, e, f",
                "status": "published",
            },
        )
    )
    assert field_errors(page, "title") == [
        "Title is 250 characters long; shorten it to at most 200."
    ]
    assert field_errors(page, "tags") == ["6 tags given; use at most 5."]
    assert "Fine</textarea>" in page  # what they wrote is kept
    assert not Artifact.objects.exists()


def test_non_members_are_asked_to_join_before_adding(client, community):
    client.force_login(UserFactory())
    response = client.get(reverse("repertoire:create", args=[community.slug]))
    assert response.status_code == 403
    assert f"Join {community.name} to take part" in html(response)


def test_edit_keeps_every_revision(client, artifact, owner):
    client.force_login(owner)
    url = reverse("repertoire:edit", args=[artifact.pk])
    form = html(client.get(url))
    assert 'name="base_revision" value="1"' in form
    response = client.post(
        url,
        {
            "kind": "routine",
            "title": artifact.title,
            "body": BODY + "\r\n4. Sign the log.",
            "tags": "safety",
            "base_revision": "1",
            "message": "Add the log",
        },
        follow=True,
    )
    assert "Saved as revision 2." in html(response)
    artifact.refresh_from_db()
    assert artifact.revision == 2
    assert artifact.body.endswith("3. Verify.\n4. Sign the log.")
    history = html(
        client.get(reverse("repertoire:revisions", args=[artifact.pk]))
    )
    assert "<strong>Revision 2</strong>" in history
    assert "— Add the log" in history
    assert "Olga Owner" in history
    # Saving the same text again makes no new revision.
    response = client.post(
        url,
        {
            "kind": "routine",
            "title": artifact.title,
            "body": artifact.body,
            "tags": "safety",
            "base_revision": "2",
        },
        follow=True,
    )
    assert "Nothing changed" in html(response)
    artifact.refresh_from_db()
    assert artifact.revision == 2


def test_edit_errors_beside_the_fields(client, artifact, owner):
    client.force_login(owner)
    page = html(
        client.post(
            reverse("repertoire:edit", args=[artifact.pk]),
            {
                "kind": "routine",
                "title": "y" * 201,
                "body": "   ",
                "base_revision": "1",
            },
        )
    )
    assert field_errors(page, "body")
    artifact.refresh_from_db()
    assert artifact.revision == 1
    page = html(
        client.post(
            reverse("repertoire:edit", args=[artifact.pk]),
            {
                "kind": "routine",
                "title": "y" * 201,
                "body": "Still fine",
                "base_revision": "1",
            },
        )
    )
    assert field_errors(page, "title") == [
        "Title is 201 characters long; shorten it to at most 200."
    ]


def test_two_edits_from_the_same_base_lose_nothing(
    client, community, artifact, owner
):
    core = member(community, Role.CORE, user__display_name="Cem Core")
    url = reverse("repertoire:edit", args=[artifact.pk])
    # Both open the form at revision 1; Cem saves first.
    client.force_login(core)
    assert 'name="base_revision" value="1"' in html(client.get(url))
    client.post(
        url,
        {
            "kind": "routine",
            "title": artifact.title,
            "body": BODY.replace("3. Verify.", "3. Try to start it."),
            "tags": "safety",
            "base_revision": "1",
            "message": "Say how to verify",
        },
    )
    # Olga saves hers from revision 1 too: nothing is overwritten.
    client.force_login(owner)
    mine = BODY + "\n4. Sign the log."
    response = client.post(
        url,
        {
            "kind": "routine",
            "title": "Lockout/tagout",
            "body": mine,
            "tags": "safety",
            "base_revision": "1",
            "message": "Add the log",
        },
    )
    assert response.status_code == 200
    page = html(response)
    assert "Someone else saved revision 2 while you were editing " in page
    # her text is kept in the form ...
    assert f"{mine}</textarea>" in page
    assert 'value="Lockout/tagout"' in page
    # ... beside what changed from her base to now ...
    assert (
        '<del class="diff-line"><span class="sr-only">Removed: </span>'
        "3. Verify.</del>" in page
    )
    assert (
        '<ins class="diff-line"><span class="sr-only">Added: </span>'
        "3. Try to start it.</ins>" in page
    )
    # ... and the current text to copy from; the next save is on top of 2.
    current = re.search(
        r'<textarea id="current-text" readonly rows="10">([^<]*)</textarea>',
        page,
    )
    assert current and "3. Try to start it." in current.group(1)
    assert 'name="base_revision" value="2"' in page
    artifact.refresh_from_db()
    assert artifact.revision == 2 and "Try to start" in artifact.body

    merged = mine.replace("3. Verify.", "3. Try to start it.")
    response = client.post(
        url,
        {
            "kind": "routine",
            "title": "Lockout/tagout",
            "body": merged,
            "tags": "safety",
            "base_revision": "2",
            "message": "Add the log (merged)",
        },
        follow=True,
    )
    assert "Saved as revision 3." in html(response)
    artifact.refresh_from_db()
    assert (artifact.revision, artifact.body) == (3, merged)
    assert artifact.revisions.count() == 3


# --- history, diff and revert ---------------------------------------------


def _edit(a: Artifact, actor, body: str, title: str | None = None):
    a.refresh_from_db()
    return services.artifact_edit(
        actor=actor,
        artifact=a,
        base_revision=a.revision,
        title=title or a.title,
        body=body,
        message=f"Edit {a.revision + 1}",
    )


def test_diff_between_any_two_revisions(client, artifact, owner):
    _edit(artifact, owner, BODY + "\nSecond", title="LOTO")
    _edit(artifact, owner, BODY + "\nThird")
    client.force_login(owner)
    url = reverse("repertoire:diff", args=[artifact.pk])
    page = html(client.get(url))  # the latest change by default
    assert "From revision 2 to revision 3" in page
    assert "Second</del>" in page and "Third</ins>" in page
    page = html(client.get(url + "?from=1&to=3"))
    assert "From revision 1 to revision 3" in page
    assert "Third</ins>" in page and "Second" not in page
    assert "Lockout/tagout routine</del>" in page and "LOTO</ins>" in page
    page = html(client.get(url + "?from=2&to=3"))
    assert '<h3 class="diff-label">Title</h3>' not in page  # same title
    response = client.get(url + "?from=9&to=x")
    assert response.status_code == 400
    page = html(response)
    assert field_errors(page, "from") and field_errors(page, "to")


def test_revert_to_an_earlier_revision(client, community, artifact, owner):
    _edit(artifact, owner, "Replaced everything")
    client.force_login(owner)
    url = reverse("repertoire:revert", args=[artifact.pk, 1])
    page = html(client.get(url))
    assert "Bring back revision 1?" in page
    assert "Replaced everything</del>" in page
    assert "1. Isolate the energy source.</ins>" in page
    response = client.post(url, follow=True)
    assert "Brought back revision 1, saved as revision 3." in html(response)
    artifact.refresh_from_db()
    assert (artifact.revision, artifact.body) == (3, BODY)
    history = html(
        client.get(reverse("repertoire:revisions", args=[artifact.pk]))
    )
    assert "— Reverted to revision 1" in history
    assert (
        client.get(
            reverse("repertoire:revert", args=[artifact.pk, 9])
        ).status_code
        == 404
    )


# --- verification ---------------------------------------------------------


def test_verify_for_an_interval_shows_the_badge(client, community, artifact):
    owner = artifact.owners.get()
    client.force_login(owner)
    page = html(client.get(detail(artifact)))
    assert 'id="verify"' in page
    for days in ("30", "90", "180", "365"):
        assert f'<option value="{days}"' in page
    assert '<option value="90" selected>90 days (the community' in page
    response = client.post(
        reverse("repertoire:verify", args=[artifact.pk]),
        {"days": "30"},
        follow=True,
    )
    artifact.refresh_from_db()
    assert artifact.review_days == 30
    left = artifact.verified_until - timezone.now()
    assert timedelta(days=29) < left <= timedelta(days=30)
    page = html(response)
    assert "Verified “Lockout/tagout routine” until" in page
    until = artifact.verified_until.astimezone(timezone.get_current_timezone())
    assert any(b.startswith("✓ Verified · until") for b in badge_texts(page))
    assert "By Olga Owner on" in page
    page = html(client.get(listing(community)))
    assert "✓ Verified" in badge_texts(page)
    assert until.year  # the date is aware
    # An interval outside the choices is refused beside the field.
    page = html(
        client.post(
            reverse("repertoire:verify", args=[artifact.pk]),
            {"days": "7"},
        )
    )
    assert field_errors(page, "days")
    artifact.refresh_from_db()
    assert artifact.review_days == 30


def test_who_may_verify(client, community, artifact):
    url = reverse("repertoire:verify", args=[artifact.pk])
    client.force_login(member(community, Role.CORE))
    assert client.post(url, {"days": "90"}).status_code == 403
    client.force_login(member(community, Role.COORDINATOR))
    assert client.post(url, {"days": "90"}).status_code == 302
    artifact.refresh_from_db()
    assert artifact.verified_until is not None


def test_expired_artifact_has_a_banner_and_filters(
    client, community, owner, artifact
):
    now = timezone.now()
    due = make(owner, community, title="Due soon")
    fresh = make(owner, community, title="Fresh")
    Artifact.objects.filter(pk=artifact.pk).update(
        verified_at=now - timedelta(days=100),
        verified_until=now - timedelta(days=10),
    )
    Artifact.objects.filter(pk=due.pk).update(
        verified_until=now + timedelta(days=3)
    )
    Artifact.objects.filter(pk=fresh.pk).update(
        verified_until=now + timedelta(days=60)
    )
    client.force_login(member(community))
    page = html(client.get(detail(artifact)))
    assert "<strong>Verification expired</strong> on" in page
    assert "check with an owner before you rely on it" in page
    assert any(
        b.startswith("! Verification expired on") for b in badge_texts(page)
    )
    assert "Verification expired" not in html(client.get(detail(fresh)))
    page = html(client.get(listing(community)))
    badges = badge_texts(page)
    assert "! Verification expired" in badges
    assert "! Review due soon" in badges
    assert "✓ Verified" in badges
    page = html(client.get(listing(community) + "?freshness=expired"))
    assert artifact.title in page
    assert "Due soon" not in page and "Fresh</a>" not in page
    page = html(client.get(listing(community) + "?sort=freshness"))
    assert page.index(artifact.title) < page.index("Due soon")
    assert page.index("Due soon") < page.index("Fresh</a>")


# --- obsolete -------------------------------------------------------------


def test_obsolete_banner_links_to_the_replacement(
    client, community, owner, artifact
):
    new = make(owner, community, title="LOTO, 2026 edition")
    client.force_login(owner)
    url = reverse("repertoire:obsolete", args=[artifact.pk])
    page = html(client.post(url, {"reason": "", "replaced_by": "abc"}))
    assert field_errors(page, "reason")
    assert field_errors(page, "replaced_by") == [
        "Give the replacement&#x27;s number (e.g. 42) or its address "
        "(e.g. /r/42/)."
    ]
    page = html(client.post(url, {"reason": "Old", "replaced_by": "99999"}))
    assert field_errors(page, "replaced_by") == [
        "There is no artifact #99999 here."
    ]
    page = html(
        client.post(url, {"reason": "Old", "replaced_by": str(artifact.pk)})
    )
    assert field_errors(page, "replaced_by") == [
        "The replacement must be another artifact of the same community."
    ]
    response = client.post(
        url,
        {
            "reason": "The press line changed in 2026",
            "replaced_by": f"https://practica.example/r/{new.pk}/",
        },
        follow=True,
    )
    page = html(response)
    assert "Marked obsolete" in page
    assert "<strong>Obsolete.</strong> Use <a href=" in page
    assert f'<a href="{detail(new)}">LOTO, 2026 edition</a> instead.' in page
    assert "<q>The press line changed in 2026</q>" in page
    assert '<span class="badge bad">Obsolete</span>' in page
    client.force_login(member(community))
    assert '<span class="badge bad">Obsolete</span>' in html(
        client.get(listing(community))
    )
    # The replacement tells where it came from.
    replaces = html(client.get(detail(new)))
    assert f'<a href="{detail(artifact)}">{artifact.title}</a>' in replaces


def test_a_draft_replacement_stays_hidden_from_members(
    client, community, owner, artifact
):
    new = make(owner, community, title="Secret successor", status="draft")
    services.artifact_mark_obsolete(
        actor=owner, artifact=artifact, reason="Rewritten", replaced_by=new
    )
    client.force_login(member(community))
    page = html(client.get(detail(artifact)))
    assert "<strong>Obsolete.</strong> Do not rely on it any more." in page
    assert "Secret successor" not in page


# --- status and owners ----------------------------------------------------


def test_publish_and_archive(client, community, owner):
    draft = make(owner, community, title="Draft routine", status="draft")
    client.force_login(owner)
    url = reverse("repertoire:status", args=[draft.pk])
    page = html(client.get(detail(draft)))
    assert "<strong>Draft.</strong>" in page
    response = client.post(url, {"status": "published"}, follow=True)
    assert "Published: everyone" in html(response)
    plain = member(community)
    client.force_login(plain)
    assert "Draft routine" in html(client.get(listing(community)))
    client.force_login(owner)
    client.post(url, {"status": "archived"})
    client.force_login(plain)
    assert "Draft routine" not in html(client.get(listing(community)))
    page = html(client.get(listing(community) + "?status=archived"))
    assert "Draft routine" in page
    client.force_login(owner)
    response = client.post(url, {"status": "gone"}, follow=True)
    assert "&#x27;gone&#x27; is not a valid status" in html(response)


def test_owners_add_and_remove(client, community, owner, artifact):
    other = member(community, user__display_name="Nia New")
    outsider = UserFactory(display_name="Not A Member")
    client.force_login(owner)
    url = reverse("repertoire:owners", args=[artifact.pk])
    page = html(client.get(url))
    assert "Nia New" in page and "Not A Member" not in page
    assert "add another before removing" in page
    page = html(client.post(url, {"action": "add", "person": outsider.pk}))
    assert field_errors(page, "person")
    response = client.post(
        url, {"action": "add", "person": other.pk}, follow=True
    )
    assert "Nia New is now an owner." in html(response)
    assert set(artifact.owners.all()) == {owner, other}
    # Removing oneself: the page may no longer be theirs to manage.
    response = client.post(url, {"action": "remove", "person": owner.pk})
    assert response["Location"] == detail(artifact)
    assert list(artifact.owners.all()) == [other]
    client.force_login(other)
    response = client.post(
        url, {"action": "remove", "person": other.pk}, follow=True
    )
    assert "An artifact needs an owner." in html(response)
    assert list(artifact.owners.all()) == [other]


# --- capture from a solved question ---------------------------------------


def test_capture_a_solved_question_links_both_ways(client, community):
    asker = member(community, user__display_name="Asha Asker")
    helper = member(community, user__display_name="Hugo Helper")
    q = ask(asker, community, tags=["presses"])
    question_url = reverse("conversations:detail", args=[q.pk])
    capture_url = reverse("repertoire:capture", args=[q.pk])
    client.force_login(asker)
    assert capture_url not in html(client.get(question_url))
    response = client.post(capture_url, follow=True)
    assert "Only a solved question can be captured" in html(response)
    assert not Artifact.objects.exists()

    reply = answer(helper, q)
    conv.reply_accept(actor=asker, reply=reply)
    page = html(client.get(question_url))
    assert f'action="{capture_url}"' in page
    assert "Capture as best practice" in page
    response = client.post(capture_url)
    a = Artifact.objects.get()
    assert response["Location"] == reverse("repertoire:edit", args=[a.pk])
    assert (a.status, a.kind, a.title) == ("draft", "best_practice", q.title)

    page = html(client.get(detail(a)))
    assert f'Captured from: <a href="{question_url}">{q.title}</a>' in page
    assert "With thanks to Hugo Helper." in page
    page = html(client.get(question_url))
    assert f'Captured in: <a href="{detail(a)}">{a.title}</a>' in page
    assert "Capture as best practice" not in page
    # A draft: other members see the link once it is published.
    client.force_login(helper)
    assert "Captured in:" not in html(client.get(question_url))
    services.artifact_set_status(actor=asker, artifact=a, status="published")
    assert "Captured in:" in html(client.get(question_url))


def test_only_members_may_capture(client, community):
    asker = member(community)
    q = ask(asker, community)
    conv.reply_accept(actor=asker, reply=answer(member(community), q))
    client.force_login(UserFactory())
    question = html(client.get(reverse("conversations:detail", args=[q.pk])))
    assert "Capture as best practice" not in question
    response = client.post(reverse("repertoire:capture", args=[q.pk]))
    assert response.status_code == 403
    assert not Artifact.objects.exists()


# --- files ----------------------------------------------------------------


def test_upload_errors_beside_the_field(client, artifact, owner, settings):
    settings.PRACTICA_ATTACHMENT_MAX_BYTES = 10
    client.force_login(owner)
    url = reverse("repertoire:files", args=[artifact.pk])
    page = html(client.get(url))
    assert 'enctype="multipart/form-data"' in page
    response = client.post(
        url, {"file": SimpleUploadedFile("big.pdf", b"x" * 11)}
    )
    assert response.status_code == 400
    assert field_errors(html(response), "file") == [
        "big.pdf is 0.0 MB; files may be at most 0 MB."
    ]
    page = html(
        client.post(url, {"file": SimpleUploadedFile("evil.html", b"<b>")})
    )
    assert (
        "files of type &#x27;.html&#x27; are not accepted"
        in (field_errors(page, "file")[0])
    )
    page = html(client.post(url, {}))
    assert field_errors(page, "file") == ["This field is required."]
    assert not Attachment.objects.exists()

    response = client.post(
        url, {"file": SimpleUploadedFile("form.pdf", b"%PDF-1")}, follow=True
    )
    page = html(response)
    assert "Added form.pdf." in page
    att = Attachment.objects.get()
    assert reverse("repertoire:download", args=[att.pk]) in page
    assert reverse("repertoire:download", args=[att.pk]) in html(
        client.get(detail(artifact))
    )


def _download(client, att: Attachment) -> int:
    return status(client, reverse("repertoire:download", args=[att.pk]))


def test_download_only_for_people_who_may_see_it(
    client, community, owner, artifact, private
):
    att = services.attachment_add(
        actor=owner,
        artifact=artifact,
        upload=SimpleUploadedFile("plan.pdf", b"%PDF-plan"),
    )
    # public community, published: anyone may download it
    response = client.get(reverse("repertoire:download", args=[att.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-plan"
    b"".join(response.streaming_content)  # drains and closes it
    assert response["Content-Disposition"] == (
        'attachment; filename="plan.pdf"'
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"

    draft = make(owner, community, title="Draft", status="draft")
    draft_file = services.attachment_add(
        actor=owner,
        artifact=draft,
        upload=SimpleUploadedFile("draft.txt", b"secret"),
    )
    insider = member(private)
    hidden = services.attachment_add(
        actor=insider,
        artifact=make(insider, private),
        upload=SimpleUploadedFile("inner.txt", b"inner"),
    )
    client.force_login(member(community))
    assert _download(client, draft_file) == 404
    assert _download(client, hidden) == 404
    client.force_login(owner)
    assert _download(client, draft_file) == 200


def test_remove_a_file(client, community, owner, artifact):
    att = services.attachment_add(
        actor=owner,
        artifact=artifact,
        upload=SimpleUploadedFile("plan.pdf", b"%PDF"),
    )
    url = reverse("repertoire:file_remove", args=[att.pk])
    client.force_login(member(community))
    assert client.post(url).status_code == 403
    page = html(client.get(reverse("repertoire:files", args=[artifact.pk])))
    assert url not in page and "plan.pdf" in page
    response = client.post(
        reverse("repertoire:files", args=[artifact.pk]),
        {"file": SimpleUploadedFile("x.pdf", b"%PDF")},
    )
    assert response.status_code == 403
    client.force_login(owner)
    response = client.post(url, follow=True)
    assert "Removed plan.pdf." in html(response)
    assert not Attachment.objects.exists()


# --- "this helped me" and use signals -------------------------------------


def test_helped_toggle_via_htmx(client, community, owner, artifact):
    fan = member(community)
    client.force_login(fan)
    url = reverse("repertoire:helped", args=[artifact.pk])
    page = html(client.get(detail(artifact)))
    assert f'hx-post="{url}"' in page
    assert "No one has said it helped them yet" in page

    frag = html(client.post(url, {"helped": "1"}, **HX))
    assert frag.lstrip().startswith('<div class="rep-helped" id="helped">')
    assert "<html" not in frag
    assert 'aria-pressed="true"' in frag
    assert "Helped 1 person" in frag
    assert Helped.objects.filter(user=fan, artifact=artifact).exists()

    frag = html(client.post(url, {"helped": "0"}, **HX))
    assert 'aria-pressed="false"' in frag
    assert "No one has said it helped them yet" in frag
    artifact.refresh_from_db()
    assert artifact.helped_count == 0

    # Without JavaScript the form posts and comes back to the page.
    response = client.post(url, {"helped": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == detail(artifact) + "#helped"
    assert "Thanks: the owners can see it helped." in html(response)

    client.force_login(owner)
    assert f'hx-post="{url}"' not in html(client.get(detail(artifact)))
    frag = html(client.post(url, {"helped": "1"}, **HX))
    assert "You own this artifact." in frag
    artifact.refresh_from_db()
    assert artifact.helped_count == 1


def test_owners_see_how_it_is_used(client, community, owner, artifact):
    q = ask(member(community), community)
    answer(
        member(community),
        q,
        body=f"We follow [the routine](/r/{artifact.pk}/) every time.",
    )
    services.artifact_helped(user=member(community), artifact=artifact)
    client.force_login(member(community))
    client.get(detail(artifact))
    page = html(client.get(detail(artifact)))
    assert "How it is used" not in page
    client.force_login(owner)
    page = html(client.get(detail(artifact)))
    assert "How it is used" in page
    assert "<dt>Views</dt><dd>2</dd>" in page  # before this one
    assert "<dt>Helped</dt><dd>1 person</dd>" in page
    assert "<dt>Linked from answers</dt><dd>1 answer</dd>" in page


# --- lists, glossary, review queue ----------------------------------------


def test_list_filters_sorts_and_more(client, community, owner, settings):
    settings.PRACTICA_PAGE_SIZE = 2
    make(owner, community, title="Beta checklist", tags=["presses"])
    make(owner, community, title="Alpha story", kind="story")
    make(owner, community, title="Gamma tool", kind="tool")
    client.force_login(member(community))
    url = listing(community)
    page = html(client.get(url + "?sort=title"))
    assert page.index("Alpha story") < page.index("Beta checklist")
    assert "Gamma tool" not in page
    more = re.search(r'hx-get="([^"]*cursor=[^"]*)"', page)
    assert more
    frag = html(client.get(more.group(1).replace("&amp;", "&"), **HX))
    assert "<html" not in frag and "Gamma tool" in frag
    assert "Alpha story" not in frag
    page = html(client.get(url + "?kind=story"))
    assert "Alpha story" in page and "Beta checklist" not in page
    page = html(client.get(url + "?tag=presses"))
    assert "Beta checklist" in page and "Alpha story" not in page
    page = html(client.get(url + "?kind=poem"))
    assert field_errors(page, "kind")
    frag = html(client.get(url + "?kind=tool", **HX))
    assert "<html" not in frag and "Gamma tool" in frag
    page = html(client.get(url + "?cursor=broken"))
    assert "This page cursor is not valid" in page


def test_glossary_lists_terms_a_to_z(client, community, owner):
    for title in ("Zero point", "andon", "Batch", "5S"):
        make(
            owner,
            community,
            title=title,
            kind="glossary",
            body=f"What *{title}* means.",
        )
    make(owner, community, title="Draft term", kind="glossary", status="draft")
    make(owner, community, title="Best way", kind="best_practice")
    client.force_login(member(community))
    page = html(
        client.get(reverse("repertoire:glossary", args=[community.slug]))
    )
    order = [page.index(t) for t in ("andon", "Batch", "Zero point")]
    assert order == sorted(order)
    assert '<a href="#letter-A">A</a>' in page
    assert '<span class="muted" aria-hidden="true">C</span>' in page
    assert '<h2 id="letter-#">#</h2>' in page and "5S" in page
    assert "What <em>Batch</em> means." in page
    assert "Draft term" not in page and "Best way" not in page
    assert page.count("Not verified") == 4


def test_review_queue_for_owners(client, community, owner, artifact):
    now = timezone.now()
    soon = make(owner, community, title="Expiring soon")
    Artifact.objects.filter(pk=soon.pk).update(
        verified_until=now + timedelta(days=5)
    )
    fine = make(owner, community, title="Recently checked")
    services.artifact_verify(actor=owner, artifact=fine)
    client.force_login(owner)
    url = reverse("repertoire:review")
    page = html(client.get(url))
    assert artifact.title in page and "Expiring soon" in page
    assert "Recently checked" not in page
    # never verified first, then the one whose verification ends first
    assert page.index(artifact.title) < page.index("Expiring soon")
    frag = html(client.get(url + "?count=1", **HX))
    assert "<html" not in frag
    assert "<strong>2 artifacts</strong> you own need review" in frag
    assert f'hx-get="{url}?count=1"' in html(client.get("/"))

    response = client.post(
        reverse("repertoire:verify", args=[soon.pk]),
        {"days": "90", "back": "review"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url
    page = html(response)
    assert "Verified “Expiring soon” until" in page
    assert "Expiring soon</a>" not in page
    client.force_login(member(community))
    assert "Nothing is due." in html(client.get(url))
    assert html(client.get(url + "?count=1", **HX)).strip() == ""


def test_community_page_links_to_the_repertoire(client, community):
    page = html(
        client.get(reverse("communities:detail", args=[community.slug]))
    )
    assert listing(community) in page
    assert reverse("repertoire:glossary", args=[community.slug]) in page


def test_user_text_is_never_raw_html(client, community, owner):
    a = make(
        owner,
        community,
        title="<script>alert(1)</script>",
        body="<script>alert(2)</script> **ok**",
    )
    page = html(client.get(detail(a)))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)" in page
    assert "<strong>ok</strong>" in page


# --- speed ----------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _busy(a: Artifact, community, n: int) -> None:
    """Add ``n`` owners, files, revisions, helped marks and replaced
    artifacts."""
    owner = a.owners.first()
    for i in range(n):
        person = member(community)
        services.artifact_set_owners(
            actor=owner, artifact=a, owners=[*a.owners.all(), person]
        )
        services.attachment_add(
            actor=owner,
            artifact=a,
            upload=SimpleUploadedFile(f"f{i}.pdf", b"%PDF"),
        )
        _edit(a, owner, f"{BODY}\nStep {i}")
        services.artifact_helped(user=member(community), artifact=a)
        old = make(person, community, title=f"Old {i}")
        services.artifact_mark_obsolete(
            actor=person, artifact=old, reason="Old", replaced_by=a
        )


def test_artifact_page_query_count_is_fixed(
    client, community, owner, artifact, django_assert_max_num_queries
):
    url = detail(artifact)
    viewer = member(community)
    client.force_login(viewer)
    _busy(artifact, community, 1)
    few = _queries(client, url)
    _busy(artifact, community, 6)
    services.artifact_helped(user=viewer, artifact=artifact)
    assert _queries(client, url) == few
    # session, user, artifact, owners, memberships, files, credits,
    # replaces, helped, the view count
    with django_assert_max_num_queries(10):
        client.get(url)
    # An owner also sees how often answers link to it.
    client.force_login(owner)
    with django_assert_max_num_queries(11):
        client.get(url)
    # Anonymous: artifact, owners, files, credits, replaces, view count.
    client.logout()
    with django_assert_max_num_queries(6):
        client.get(url)


def test_list_query_count_is_fixed(
    client, community, owner, django_assert_max_num_queries
):
    url = listing(community)
    client.force_login(member(community))
    make(owner, community, title="First", tags=["a"])
    few = _queries(client, url)
    for i in range(8):
        author = member(community)
        a = make(author, community, title=f"T{i}", tags=["b"])
        services.artifact_set_owners(
            actor=author, artifact=a, owners=[author, member(community)]
        )
    assert _queries(client, url) == few
    # session, user, community, memberships, tags, the page, owners
    with django_assert_max_num_queries(7):
        client.get(url)
    # Anonymous: community, tags, the page, owners.
    client.logout()
    with django_assert_max_num_queries(4):
        client.get(url)


def test_a_view_is_counted_without_a_write(client, owner, artifact):
    from practica.core import cache

    cache.forget_counts()
    url = detail(artifact)
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        assert not [
            q
            for q in ctx.captured_queries
            if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
        ]
    assert Artifact.objects.get(pk=artifact.pk).view_count == 0
    # The owners see the views counted but not yet written...
    client.force_login(owner)
    assert "<dt>Views</dt><dd>2</dd>" in html(client.get(url))
    # ...and the flush writes them all, once.
    assert cache.flush_counts() == 1
    assert Artifact.objects.get(pk=artifact.pk).view_count == 3
    assert cache.flush_counts() == 0
