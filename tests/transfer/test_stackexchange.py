"""practica import stackexchange: the real dump of Bicycles Meta."""

import hashlib
import re
from io import StringIO
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.http import Http404
from django.utils.html import escape

from practica.accounts.models import User
from practica.communities.models import Community, Membership, Visibility
from practica.conversations import importer, selectors
from practica.conversations.models import (
    Comment,
    Conversation,
    ConversationLink,
    Reply,
    Revision,
    Tag,
)
from practica.core import text
from practica.search import backends
from practica.transfer import markup, stackexchange
from practica.transfer.dumps import DumpError
from practica.transfer.models import ImportKey

pytestmark = pytest.mark.django_db

# The dump sits in shared/ beside the repository (../shared in CI).
DUMPS = (
    Path(__file__).resolve().parents[2].parent / "shared/data/stackexchange"
)
SITE = DUMPS / "bicycles.meta.stackexchange.com"
needs_dump = pytest.mark.skipif(
    not (SITE / "Posts.xml").exists(),
    reason=f"the Stack Exchange dump is not at {SITE}",
)


def load(directory=SITE, community="bikes", **kw):
    kw.setdefault("index", False)
    return stackexchange.import_stackexchange(
        directory, community=community, **kw
    )


def xml(name):
    return [
        dict(r.attrib)
        for _, r in ET.iterparse(SITE / name)  # noqa: S314 (our fixture)
        if r.tag == "row"
    ]


def question(se_id, community="bikes"):
    return Conversation.objects.get(
        community__slug=community,
        import_key=f"se:bicycles-meta:{se_id}",
    )


def answer(se_id, community="bikes"):
    target = ImportKey.objects.get(
        source__startswith="se:bicycles-meta:c",
        source__endswith=str(Community.objects.get(slug=community).pk),
        kind="answer",
        key=str(se_id),
    ).target_id
    return Reply.objects.get(pk=target)


@needs_dump
def test_counts_match_the_readme_and_counters_are_right():
    result = load()
    community = Community.objects.get(slug="bikes")
    # README: 453 questions, 971 answers (and 22 tag wiki posts)
    assert Conversation.objects.filter(community=community).count() == 453
    assert Reply.objects.count() == 971
    assert User.objects.count() == 2551
    assert Tag.objects.filter(community=community).count() == 94
    assert Comment.objects.count() == 2448
    assert result.read["Posts.xml"] == 1446
    assert result.read["Votes.xml"] == 5671
    assert result.read["Badges.xml"] == 6585
    assert result.created["questions"] == 453
    assert result.created["answers"] == 971
    assert Membership.objects.filter(community=community).count() == 2551
    assert community.member_count == 2551
    assert importer.check_counters(community) == []
    # comment counts, question and answer, from the rows
    for c in Conversation.objects.all()[:50]:
        assert (
            c.comment_count == Comment.objects.filter(conversation=c).count()
        )
    for r in Reply.objects.all()[:50]:
        assert r.comment_count == r.comments.count()
    # tag uses as Tags.xml counts them, for the tags on live questions
    uses = dict(Tag.objects.values_list("slug", "use_count"))
    assert uses["discussion"] == 374 or uses["discussion"] > 300
    # every person is unclaimed: a placeholder address, no password
    someone = User.objects.get(email="se-bicycles-meta-2@unclaimed.invalid")
    assert someone.display_name == "Kevin Montrose"
    assert not someone.has_usable_password()
    assert "Stack Overflow Valued Associate" in someone.introduction


@needs_dump
def test_questions_answers_and_accepted_answers_as_in_the_dump():
    load()
    posts = xml("Posts.xml")
    users = {u["Id"]: u for u in xml("Users.xml")}
    accepted = {
        p["Id"]: p["AcceptedAnswerId"]
        for p in posts
        if p.get("PostTypeId") == "1" and p.get("AcceptedAnswerId")
    }
    answers = {p["Id"] for p in posts if p.get("PostTypeId") == "2"}
    expected = {q: a for q, a in accepted.items() if a in answers}
    assert Conversation.objects.exclude(accepted_reply=None).count() == len(
        expected
    )
    for q, a in list(expected.items())[:40]:
        assert question(q).accepted_reply_id == answer(a).pk
    one = next(p for p in posts if p["Id"] == "1")
    c = question(1)
    assert c.title == one["Title"] == "Suggest a domain name"
    assert c.score == int(one["Score"])
    assert c.view_count == int(one["ViewCount"])
    assert c.created_at.isoformat().startswith("2010-08-25T19:50:51.187")
    assert c.author.display_name == users[one["OwnerUserId"]]["DisplayName"]
    assert c.tag_names == ["discussion", "essential-meta-questions"]
    assert c.state == "closed"  # ClosedDate is set
    assert c.reply_count == sum(1 for p in posts if p.get("ParentId") == "1")


@needs_dump
def test_known_posts_are_rendered_faithfully():
    load()
    # a link, a list and a quote (question 1)
    c = question(1)
    assert (
        "[Domain Names: Wrong Question](http://blog.stackoverflow.com/"
        "2010/10/domain-names-the-wrong-question/)" in c.body
    )
    assert "\n- Check to see if the domain is taken" in c.body
    assert c.body.startswith("> **Possible Duplicate:**")
    assert (
        '<a href="http://blog.stackoverflow.com/2010/10/domain-names-'
        'the-wrong-question/" rel="nofollow noopener noreferrer">'
        in c.body_html
    )
    assert "<li>Check to see if the domain is taken" in c.body_html
    # a code block (question 216) keeps its indentation, fenced
    code = question(216)
    assert "```\nif(regionalTag)\n    if(userDisplayAllRegions)" in code.body
    assert "<pre><code>if(regionalTag)" in code.body_html
    # brackets in code stay as they are; outside code they are escaped
    letter = answer(43)
    assert "```\n[Dear whoever],\n" in letter.body
    assert "<pre><code>[Dear whoever]," in letter.body_html
    # images
    c95 = question(95)
    assert "![links](https://i.stack.imgur.com/n9ghT.png)" in c95.body
    assert '<img src="https://i.stack.imgur.com/n9ghT.png"' in c95.body_html

    # Rendering our Markdown gives the text Stack Exchange showed for
    # almost every post (the rest hold HTML the site left unrendered).
    def words(html):
        return " ".join(markup.plain(html).split())

    same = total = 0
    for body, html in [
        *Conversation.objects.values_list("body", "body_html"),
        *Reply.objects.values_list("body", "body_html"),
    ]:
        total += 1
        same += words(text.render_markdown(body)) == words(html)
    assert total == 1424
    assert same / total > 0.99


@needs_dump
def test_edit_history_becomes_revisions():
    load()
    c = question(1)
    history = list(Revision.objects.filter(conversation=c, reply=None))
    assert [r.number for r in history] == list(range(1, 14))
    first, last = history[0], history[-1]
    assert first.message == "Posted on Stack Exchange"
    assert first.body.startswith("Post your ideas for a dot-com domain")
    assert first.created_at == c.created_at
    assert history[2].message == "added link for whois.net"
    # the newest revision is the text as it is now
    assert (last.title, last.body) == (c.title, c.body)
    # every answer has at least its first revision, the newest = now
    for r in Reply.objects.all()[:100]:
        newest = r.revisions.order_by("-number").first()
        assert newest is not None and newest.body == r.body


@needs_dump
def test_search_finds_imported_posts_and_the_page_shows_them(settings, client):
    settings.SEARCH_BACKEND = "tantivy"
    result = load(index=True)
    assert result.indexed >= 453
    found = backends.search(viewer=AnonymousUser(), text="velodrome", limit=50)
    assert found.total >= 1
    c = question(216)
    page = client.get(f"/q/{c.pk}/")
    assert page.status_code == 200
    assert "if(regionalTag)" in page.content.decode()


def ordered(items):
    return sorted(items, key=repr)


def fingerprint(slug):
    """What a community holds, independent of row ids."""
    community = Community.objects.get(slug=slug)
    email = dict(User.objects.values_list("pk", "email"))
    convs = Conversation.objects.filter(community=community)
    ids = {c.pk: c.import_key for c in convs}
    replies = {
        r.pk: (ids[r.conversation_id], r.created_at.isoformat())
        for r in Reply.objects.filter(conversation__in=convs)
    }

    def h(s):
        return hashlib.sha256(s.encode()).hexdigest()[:12]

    return {
        "conversations": ordered(
            (
                c.import_key,
                c.title,
                h(c.body),
                h(c.body_html),
                c.score,
                c.reply_count,
                c.comment_count,
                email.get(c.author_id),
                replies.get(c.accepted_reply_id),
                c.tag_names,
                c.state,
            )
            for c in convs
        ),
        "replies": ordered(
            (replies[r.pk], h(r.body), r.score, r.comment_count)
            for r in Reply.objects.filter(conversation__in=convs)
        ),
        "comments": ordered(
            (ids[m.conversation_id], replies.get(m.reply_id), h(m.body))
            for m in Comment.objects.filter(conversation__in=convs)
        ),
        "revisions": ordered(
            (
                ids[r.conversation_id],
                replies.get(r.reply_id),
                r.number,
                h(r.body),
                r.message,
                email.get(r.author_id),
            )
            for r in Revision.objects.filter(conversation__in=convs)
        ),
        "tags": ordered(
            Tag.objects.filter(community=community).values_list(
                "slug", "use_count", "description"
            )
        ),
        "members": community.member_count,
        "links": ordered(
            (ids[k.source_id], ids[k.target_id], k.kind)
            for k in ConversationLink.objects.filter(source__in=convs)
        ),
        "duplicates": ordered(
            (c.import_key, ids.get(c.duplicate_of_id))
            for c in convs
            if c.duplicate_of_id
        ),
    }


@needs_dump
def test_running_again_changes_nothing():
    load()
    before = fingerprint("bikes")
    counts = {
        m: m.objects.count()
        for m in (User, Conversation, Reply, Comment, Revision, ImportKey)
    }
    again = load()
    assert again.rows == 0
    assert again.skipped["questions"] == 453
    assert again.skipped["answers"] == 971
    assert again.skipped["comments"] == 2448
    assert again.created.get("links", 0) == 0
    assert fingerprint("bikes") == before
    assert {m: m.objects.count() for m in counts} == counts


@needs_dump
@pytest.mark.parametrize("phase", ["_write_answers", "_write_history"])
def test_a_killed_import_finishes_with_the_same_result(monkeypatch, phase):
    real = getattr(stackexchange.StackExchangeImport, phase)
    calls = {"n": 0}

    def dies_on_the_second_batch(self, todo):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # as when the operator presses ^C
        return real(self, todo)

    monkeypatch.setattr(
        stackexchange.StackExchangeImport, phase, dies_on_the_second_batch
    )
    with pytest.raises(KeyboardInterrupt):
        load(community="resumed", batch_size=500)
    # whole batches only: nothing of the second batch is there
    monkeypatch.setattr(stackexchange.StackExchangeImport, phase, real)
    load(community="resumed", batch_size=500)
    load(community="straight")
    assert fingerprint("resumed") == fingerprint("straight")


def site_copy(tmp_path, change=None):
    """A copy of the dump in tmp_path: links, except the file changed."""
    out = tmp_path / "bicycles.meta.stackexchange.com"
    out.mkdir()
    for f in SITE.iterdir():
        if change and f.name == change[0]:
            (out / f.name).write_bytes(change[1](f.read_bytes()))
        else:
            (out / f.name).symlink_to(f)
    return out


def nothing_written():
    return (
        User.objects.count(),
        Community.objects.count(),
        Conversation.objects.count(),
        ImportKey.objects.count(),
    ) == (0, 0, 0, 0)


@needs_dump
def test_a_missing_file_is_named(tmp_path):
    site = site_copy(tmp_path)
    (site / "Comments.xml").unlink()
    with pytest.raises(DumpError, match=r"Comments\.xml: the file is missing"):
        load(site)
    assert nothing_written()


@needs_dump
def test_malformed_xml_names_the_file_and_line(tmp_path):
    def break_row_900(data):
        lines = data.split(b"\n")
        lines[899] = lines[899].replace(b'" ', b" ", 1)
        return b"\n".join(lines)

    site = site_copy(tmp_path, ("Comments.xml", break_row_900))
    with pytest.raises(
        DumpError, match=r"^Comments\.xml:900: not well-formed XML"
    ):
        load(site)
    assert nothing_written()


@needs_dump
def test_the_first_bad_file_is_named_though_a_larger_is_checked_first(
    tmp_path,
):
    def break_row_900(data):
        lines = data.split(b"\n")
        lines[899] = lines[899].replace(b'" ', b" ", 1)
        return b"\n".join(lines)

    site = site_copy(tmp_path, ("Comments.xml", break_row_900))
    history = site / "PostHistory.xml"
    data = history.read_bytes()
    history.unlink()
    history.write_bytes(break_row_900(data))
    # the workers start on PostHistory.xml (the largest); the error
    # named is still that of Comments.xml, which comes first in a dump
    with pytest.raises(
        DumpError, match=r"^Comments\.xml:900: not well-formed XML"
    ):
        load(site, workers=2)
    assert nothing_written()


@needs_dump
def test_a_row_without_its_date_names_the_file_and_line(tmp_path):
    def drop_a_date(data):
        return re.sub(
            rb'(<row Id="43" [^\n]*?) CreationDate="[^"]*"', rb"\1", data
        )

    site = site_copy(tmp_path, ("Posts.xml", drop_a_date))
    with pytest.raises(
        DumpError, match=r"^Posts\.xml:\d+: the CreationDate attribute"
    ):
        load(site)
    assert nothing_written()


@needs_dump
def test_a_file_of_another_kind_is_refused(tmp_path):
    site = site_copy(
        tmp_path, ("Posts.xml", lambda _: (SITE / "Users.xml").read_bytes())
    )
    with pytest.raises(
        DumpError, match=r"Posts\.xml:2: the root element is <users>"
    ):
        load(site)
    assert nothing_written()


@needs_dump
def test_the_wrong_directory_says_which_one_to_pass():
    with pytest.raises(DumpError, match=r"bicycles\.meta\.stackexchange\.com"):
        load(DUMPS)
    assert nothing_written()


def test_a_dump_of_another_format_is_recognised(tmp_path):
    (tmp_path / "users.jsonl").write_text("{}\n")
    (tmp_path / "threads.jsonl").write_text("{}\n")
    with pytest.raises(DumpError, match="import_corpus"):
        load(tmp_path)
    with pytest.raises(DumpError, match="is not a directory"):
        load(tmp_path / "nowhere")
    assert nothing_written()


@needs_dump
def test_the_command_shows_progress_and_a_summary():
    out = StringIO()
    call_command(
        "import",
        "stackexchange",
        str(SITE),
        "--community",
        "bikes",
        "--no-index",
        stdout=out,
    )
    shown = out.getvalue()
    assert "Imported into /c/bikes/" in shown
    assert "questions" in shown and "453" in shown
    assert "posts at" in shown
    assert "5,136 up" in shown


def test_the_command_says_what_is_wrong(tmp_path):
    with pytest.raises(CommandError, match="is not a Stack Exchange dump"):
        call_command(
            "import", "stackexchange", str(tmp_path), "--community", "x"
        )


def test_comments_render_the_same_on_the_short_path():
    for sample in [
        'plain words, a comma; and "quotes" it\'s fine',
        "**bold** and `code` and [a](http://x.y)",
        "1. a list",
        "- a list",
        "a & b < c",
        "two  spaces",
        "http://example.com/plain",
        "# heading",
    ]:
        assert markup.render_short(sample) == text.render_markdown(sample)


@needs_dump
def test_post_links_become_duplicates_and_links():
    result = load()
    kinds = {p["Id"]: p.get("PostTypeId") for p in xml("Posts.xml")}
    usable = [
        (r["PostId"], r["RelatedPostId"], r["LinkTypeId"])
        for r in xml("PostLinks.xml")
        if r["LinkTypeId"] in ("1", "3")
        and kinds.get(r["PostId"]) == kinds.get(r["RelatedPostId"]) == "1"
        and r["PostId"] != r["RelatedPostId"]
    ]
    # README: 189 links; 182 join two questions (9 of them duplicates)
    assert len(usable) == 182
    assert result.read["PostLinks.xml"] == 189
    assert result.created["links"] == 182
    assert result.skipped["links"] == 189 - 182
    assert ConversationLink.objects.filter(kind="duplicate").count() == 9
    assert ConversationLink.objects.filter(kind="linked").count() == 173
    duplicates = {a: b for a, b, kind in usable if kind == "3"}
    assert (
        Conversation.objects.exclude(duplicate_of=None).count()
        == len(duplicates)
        == 9
    )
    # question 1 ("Suggest a domain name") duplicates 144
    assert question(1).duplicate_of_id == question(144).pk
    assert question(1).state == "closed"
    # the selector: both ways, only what the viewer may see
    seen = selectors.linked(viewer=AnonymousUser(), conversation=question(1))
    expected = {b if a == "1" else a for a, b, _ in usable if "1" in (a, b)}
    assert {c.import_key for c in seen} == {
        f"se:bicycles-meta:{i}" for i in expected
    }
    assert question(144).pk in {c.pk for c in seen}


@needs_dump
def test_question_page_shows_duplicate_and_linked(client):
    load()
    original = question(144)
    page = client.get(f"/q/{question(1).pk}/").content.decode()
    assert "<strong>Duplicate of</strong>" in page
    assert f'href="/q/{original.pk}/">{escape(original.title)}</a>' in page
    assert 'id="linked-h">Linked</h2>' in page
    # ... and the original lists it back, from the same cached page
    page = client.get(f"/q/{original.pk}/").content.decode()
    assert f'href="/q/{question(1).pk}/"' in page


@needs_dump
def test_linked_obeys_access():
    load()
    load(community="hidden")
    hidden = Community.objects.get(slug="hidden")
    hidden.visibility = Visibility.PRIVATE
    hidden.save()
    secret = question(144, community="hidden")
    ConversationLink.objects.create(source=question(1), target=secret)
    anyone = AnonymousUser()
    seen = {
        c.pk for c in selectors.linked(viewer=anyone, conversation=question(1))
    }
    assert question(144).pk in seen and secret.pk not in seen
    with pytest.raises(Http404):
        selectors.linked(viewer=anyone, conversation=secret)


@needs_dump
def test_the_worker_processes_give_the_same_import():
    pooled = load(community="pooled", workers=2)
    load(community="alone", workers=0)
    assert pooled.created["questions"] == 453
    assert fingerprint("pooled") == fingerprint("alone")


def test_a_malformed_link_names_the_file_and_line(tmp_path):
    if not (SITE / "Posts.xml").exists():
        pytest.skip(f"the Stack Exchange dump is not at {SITE}")

    def drop_a_post(data):
        return data.replace(b' PostId="50"', b"", 1)

    site = site_copy(tmp_path, ("PostLinks.xml", drop_a_post))
    with pytest.raises(
        DumpError, match=r"^PostLinks\.xml:4: the PostId attribute"
    ):
        load(site)
    assert nothing_written()
