"""practica export and practica import practica: a lossless roundtrip."""

import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from practica.accounts.models import User
from practica.communities.models import Community, Role
from practica.conversations import services as conversations
from practica.conversations.models import Conversation, Reply, Vote
from practica.repertoire import services as repertoire
from practica.repertoire.models import Artifact, Attachment
from practica.transfer import archive
from practica.transfer.dumps import DumpError
from tests.conversations.factories import answer, ask
from tests.factories import CommunityFactory, member

pytestmark = pytest.mark.django_db


def site():
    """A little of everything: two communities, people, a solved
    question with comments, votes and an edit, an artifact with two
    revisions and a file."""
    plant = CommunityFactory(slug="plant", name="Plant floor")
    other = CommunityFactory(slug="other", name="Other")
    lead = member(plant, Role.COORDINATOR)
    asker = member(plant)
    helper = member(plant)
    member(other)
    q = ask(asker, plant, tags=["presses"])
    a = answer(helper, q)
    conversations.comment_create(
        author=lead, conversation=q, body="Which die is it?"
    )
    conversations.comment_create(
        author=asker, conversation=q, reply=a, body="Worked, thanks."
    )
    conversations.vote(user=asker, value=1, reply=a)
    conversations.vote(user=helper, value=1, conversation=q)
    conversations.reply_accept(actor=asker, reply=a)
    conversations.conversation_edit(
        actor=asker,
        conversation=q,
        title="How do we stop the press line from jamming so often?",
        body="It jams twice a shift since the new die arrived in May.",
        message="More detail",
    )
    art = repertoire.artifact_create(
        author=lead,
        community=plant,
        title="Die change checklist",
        body="1. Lock out\n2. Check clearance",
        kind="routine",
        tags=["presses"],
        status="published",
    )
    repertoire.artifact_edit(
        actor=lead,
        artifact=art,
        title="Die change checklist",
        body="1. Lock out\n2. Check clearance\n3. Test run",
        base_revision=art.revision,
        message="Test run",
    )
    repertoire.attachment_add(
        actor=lead,
        artifact=art,
        upload=SimpleUploadedFile(
            "checklist.txt", b"lock out\n", content_type="text/plain"
        ),
    )
    return plant


def lines(path):
    text = (path / archive.FILE).read_text()
    head, *rest = text.splitlines()
    head = json.loads(head)
    head.pop("exported_at")
    return head, rest


def wipe():
    """An empty site, as after migrate, without dropping the tables."""
    for s in reversed(archive._sections()):
        model = s.model
        for f in model._meta.many_to_many:
            through = f.remote_field.through
            if through._meta.auto_created:
                through._base_manager.all()._raw_delete(connection.alias)
        model._base_manager.all()._raw_delete(connection.alias)


def test_export_then_import_into_an_empty_site_gives_the_same_export(
    tmp_path, settings
):
    site()
    first = tmp_path / "first"
    counts = archive.export(first)
    assert counts["accounts.user"] == 4
    assert counts["conversations.conversation"] == 1
    assert counts["conversations.revision"] == 3  # question twice, answer once
    assert counts["repertoire.artifactrevision"] == 2
    assert counts["repertoire.attachment"] == 1
    stored = Attachment.objects.get().file.name
    assert (first / "files" / stored).read_bytes() == b"lock out\n"

    wipe()
    settings.MEDIA_ROOT = tmp_path / "media2"
    assert not User.objects.exists()
    restored = archive.restore(first)
    assert restored == {k: v for k, v in counts.items() if v}

    second = tmp_path / "second"
    archive.export(second)
    assert lines(second) == lines(first)
    # the rows work: the accepted answer, tags, owners and the file
    q = Conversation.objects.get()
    assert q.accepted_reply == Reply.objects.get()
    assert q.tag_names == ["presses"]
    assert q.tags.get().slug == "presses"
    art = Artifact.objects.get()
    assert list(art.owners.values_list("email", flat=True)) == [
        art.created_by.email
    ]
    with Attachment.objects.get().file.open("rb") as handle:
        assert handle.read() == b"lock out\n"
    assert Vote.objects.count() == 2
    # ids go on from the restored ones
    assert CommunityFactory().pk > Community.objects.get(slug="other").pk


def test_one_community_takes_its_people_and_content_only(tmp_path):
    plant = site()
    out = tmp_path / "plant"
    counts = archive.export(out, community="plant")
    assert counts["communities.community"] == 1
    assert counts["accounts.user"] == 3  # the other's member stays out
    assert counts["transfer.importkey"] == 0
    head, records = lines(out)
    assert head["community"] == "plant"
    assert json.loads(records[-1])["end"] is True
    models = [json.loads(r).get("model") for r in records[:-1]]
    assert "communities.community" in models
    ids = {
        json.loads(r)["id"]
        for r in records
        if json.loads(r).get("model") == "communities.community"
    }
    assert ids == {plant.pk}
    wipe()
    archive.restore(out)
    assert Community.objects.get().slug == "plant"
    assert Conversation.objects.count() == 1


def test_the_command_writes_and_reads_an_export(tmp_path):
    site()
    out = StringIO()
    call_command("export", str(tmp_path / "x"), stdout=out)
    assert "Exported to" in out.getvalue()
    assert "conversations.conversation" in out.getvalue()
    with pytest.raises(CommandError, match="exists already"):
        call_command("export", str(tmp_path / "x"), stdout=StringIO())
    with pytest.raises(CommandError, match="not empty"):
        call_command(
            "import", "practica", str(tmp_path / "x"), stdout=StringIO()
        )
    wipe()
    again = StringIO()
    call_command(
        "import", "practica", str(tmp_path / "x"), "--no-index", stdout=again
    )
    assert "conversations.conversation" in again.getvalue()
    assert Conversation.objects.count() == 1


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda ls: ls[:-1], "no end line; the file was cut off"),
        (
            lambda ls: ['{"format": "other", "version": 1}', *ls[1:]],
            r"practica\.jsonl:1: not a Practica export",
        ),
        (
            lambda ls: [
                '{"format": "practica-export", "version": 99}',
                *ls[1:],
            ],
            "export version 99",
        ),
        (
            lambda ls: [ls[0], "{not json", *ls[1:]],
            r"practica\.jsonl:2: not JSON",
        ),
        (
            lambda ls: [
                ls[0],
                '{"model": "x.y", "id": 1, "fields": {}}',
                *ls[1:],
            ],
            r"practica\.jsonl:2: unknown model 'x\.y'",
        ),
        (
            lambda ls: [ls[0], *ls[2:]],
            "the end line counts",
        ),
    ],
)
def test_a_damaged_export_is_refused_whole(tmp_path, damage, message):
    site()
    out = tmp_path / "x"
    archive.export(out)
    path = out / archive.FILE
    path.write_text("\n".join(damage(path.read_text().splitlines())) + "\n")
    wipe()
    with pytest.raises(DumpError, match=message):
        archive.restore(out)
    assert not User.objects.exists()
    assert not Community.objects.exists()


def test_an_unknown_field_names_its_line(tmp_path):
    site()
    out = tmp_path / "x"
    archive.export(out)
    path = out / archive.FILE
    rows = path.read_text().splitlines()
    n, bad = next(
        (i, json.loads(r))
        for i, r in enumerate(rows)
        if '"model":"conversations.reply"' in r
    )
    bad["fields"]["colour"] = "red"
    rows[n] = json.dumps(bad)
    path.write_text("\n".join(rows) + "\n")
    wipe()
    with pytest.raises(
        DumpError, match=rf"practica\.jsonl:{n + 1}: .*no field 'colour'"
    ):
        archive.restore(out)
    assert not User.objects.exists()


def test_a_missing_export_says_what_it_needs(tmp_path):
    with pytest.raises(DumpError, match="is not a directory"):
        archive.restore(tmp_path / "nowhere")
    with pytest.raises(DumpError, match="the file is missing"):
        archive.restore(tmp_path)
    with pytest.raises(DumpError, match="No community has the slug"):
        archive.export(tmp_path / "x", community="nope")


def test_the_demo_organisation_survives_the_roundtrip(tmp_path, settings):
    from practica.web import demo

    demo.build()
    first = tmp_path / "first"
    counts = archive.export(first)
    filled = {label for label, n in counts.items() if n}
    assert {
        "accounts.expertise",
        "conversations.vote",
        "repertoire.artifactrevision",
        "core.activity",
    } <= filled
    wipe()
    settings.MEDIA_ROOT = tmp_path / "media2"
    archive.restore(first)
    second = tmp_path / "second"
    archive.export(second)
    assert lines(second) == lines(first)
