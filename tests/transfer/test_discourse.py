"""practica import discourse: a small forum export built here."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from practica.accounts.models import User
from practica.communities.models import Community, Membership
from practica.conversations import importer
from practica.conversations.models import (
    Conversation,
    Reply,
    Revision,
    Tag,
    Vote,
)
from practica.transfer.discourse import import_discourse
from practica.transfer.dumps import DumpError
from practica.transfer.models import ImportKey
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

T0 = "2024-03-01T09:00:00.000Z"


def when(minutes):
    return f"2024-03-01T{9 + minutes // 60:02d}:{minutes % 60:02d}:00.000Z"


def forum():
    return {
        "users": [
            {
                "id": 1,
                "username": "ada",
                "name": "Ada Byron",
                "email": "ada@example.org",
                "created_at": T0,
            },
            {"id": 2, "username": "bob", "created_at": T0, "bio_raw": "Hi"},
            {"id": 3, "username": "cy", "name": "Cy", "created_at": T0},
        ],
        "categories": [
            {"id": 10, "name": "Presses", "slug": "presses"},
            {
                "id": 11,
                "name": "Dies",
                "slug": "dies",
                "parent_category_id": 10,
            },
            {"id": 20, "name": "Lounge", "slug": "lounge"},
        ],
        "topics": [
            {
                "id": 100,
                "title": "The press jams twice a shift",
                "category_id": 11,
                "user_id": 1,
                "created_at": when(0),
                "tags": ["jams"],
                "views": 42,
                "accepted_answer_post_id": 1002,
            },
            {
                "id": 200,
                "title": "Introduce yourself",
                "category_id": 20,
                "user_id": 2,
                "created_at": when(5),
                "closed": True,
            },
        ],
        "posts": [
            {
                "id": 1001,
                "topic_id": 100,
                "user_id": 1,
                "post_number": 1,
                "raw": "Since the **new die** arrived:\n\n- jams\n- noise",
                "created_at": when(0),
            },
            {
                "id": 1002,
                "topic_id": 100,
                "user_id": 2,
                "post_number": 2,
                "raw": "Check the clearance: `0.2 mm`.",
                "created_at": when(10),
                "accepted_answer": True,
            },
            {
                "id": 1003,
                "topic_id": 100,
                "user_id": 3,
                "post_number": 3,
                "cooked": "<p>Same here, see <a href='https://x.org/a'>"
                "this</a>.</p>",
                "created_at": when(20),
            },
            {
                "id": 2001,
                "topic_id": 200,
                "user_id": 2,
                "post_number": 1,
                "raw": "Say who you are.",
                "created_at": when(5),
            },
        ],
        "likes": [
            {"post_id": 1002, "user_id": 1, "created_at": when(30)},
            {"post_id": 1002, "user_id": 3, "created_at": when(31)},
            {"post_id": 1001, "user_id": 3, "created_at": when(32)},
        ],
    }


def write(tmp_path, data=None, *, lines=()):
    out = tmp_path / "forum"
    out.mkdir(exist_ok=True)
    for name, rows in (data or forum()).items():
        if name in lines:
            (out / f"{name}.jsonl").write_text(
                "".join(json.dumps(r) + "\n" for r in rows)
            )
        else:
            (out / f"{name}.json").write_text(json.dumps(rows))
    return out


def test_one_community_with_categories_as_tags(tmp_path):
    UserFactory(email="ada@example.org", display_name="Ada (here)")
    result = import_discourse(write(tmp_path), community="forum", index=False)
    community = Community.objects.get(slug="forum")
    assert result.created["topics"] == 2
    assert result.created["posts"] == 4
    assert result.created["likes"] == 3
    q = Conversation.objects.get(import_key="discourse:forum:100")
    assert q.kind == "question"
    assert q.title == "The press jams twice a shift"
    assert q.body.startswith("Since the **new die** arrived")
    assert "<strong>new die</strong>" in q.body_html
    assert "<li>jams</li>" in q.body_html
    assert q.tag_names == ["Dies", "jams"]
    assert q.view_count == 42
    assert q.reply_count == 2
    assert q.score == 1  # Cy liked the topic's first post
    accepted = q.accepted_reply
    assert accepted is not None and accepted.body.startswith("Check the")
    assert accepted.score == 2
    assert accepted.author.display_name == "bob"
    cooked = q.replies.get(created_at__minute=20)
    assert cooked.body == "Same here, see [this](https://x.org/a)."
    assert q.last_activity_at.minute == 20
    chat = Conversation.objects.get(import_key="discourse:forum:200")
    assert chat.kind == "discussion"
    assert chat.state == "closed"
    # Ada's address was known: that account is hers; the others unclaimed
    assert User.objects.count() == 3
    ada = User.objects.get(email="ada@example.org")
    assert q.author == ada and ada.display_name == "Ada (here)"
    assert User.objects.filter(
        email="discourse-forum-2@unclaimed.invalid"
    ).exists()
    assert Membership.objects.filter(community=community).count() == 3
    assert importer.check_counters(community) == []
    assert Revision.objects.filter(conversation=q).count() == 3
    assert Vote.objects.filter(user=ada, reply=accepted).exists()


def test_categories_as_communities(tmp_path):
    import_discourse(write(tmp_path), by_category=True, index=False)
    presses = Community.objects.get(slug="presses")
    lounge = Community.objects.get(slug="lounge")
    assert list(presses.conversations.values_list("title", flat=True)) == [
        "The press jams twice a shift"
    ]
    assert lounge.conversations.count() == 1
    # the subcategory is a tag in its parent's community
    assert Tag.objects.filter(community=presses, slug="dies").exists()
    assert presses.member_count == 3  # wrote or liked there
    assert lounge.member_count == 1


def test_running_again_adds_nothing_and_jsonl_works(tmp_path):
    where = write(tmp_path, lines=("posts", "likes"))
    import_discourse(where, community="forum", index=False)
    counts = [
        m.objects.count()
        for m in (User, Conversation, Reply, Vote, Revision, ImportKey)
    ]
    again = import_discourse(where, community="forum", index=False)
    assert again.rows == 0
    assert again.skipped["posts"] == 4
    assert [
        m.objects.count()
        for m in (User, Conversation, Reply, Vote, Revision, ImportKey)
    ] == counts


def test_an_interrupted_import_finishes(tmp_path, monkeypatch):
    from practica.transfer import discourse

    real = discourse.DiscourseImport._write_likes

    def dies(self, todo):
        raise KeyboardInterrupt

    monkeypatch.setattr(discourse.DiscourseImport, "_write_likes", dies)
    where = write(tmp_path)
    with pytest.raises(KeyboardInterrupt):
        import_discourse(where, community="forum", index=False)
    assert Vote.objects.count() == 0
    monkeypatch.setattr(discourse.DiscourseImport, "_write_likes", real)
    result = import_discourse(where, community="forum", index=False)
    assert result.created["likes"] == 3
    q = Conversation.objects.get(import_key="discourse:forum:100")
    assert q.accepted_reply.score == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("posts"), r"posts\.json: the file is missing"),
        (
            lambda d: d["posts"][1].pop("created_at"),
            r"posts\.json record 2: 'created_at' is not a date",
        ),
        (
            lambda d: d["posts"][2].update(user_id=99),
            r"posts\.json record 3: user 99 is not in users",
        ),
        (
            lambda d: d["posts"][0].update(topic_id=7),
            r"posts\.json record 1: topic 7 is not in topics",
        ),
        (
            lambda d: d["topics"][0].update(title=" "),
            r"topics\.json record 1: the title is empty",
        ),
    ],
)
def test_bad_input_names_the_file_and_record(tmp_path, change, message):
    data = forum()
    change(data)
    with pytest.raises(DumpError, match=message):
        import_discourse(write(tmp_path, data), community="forum")
    assert not Conversation.objects.exists()
    assert not User.objects.exists()
    assert not Community.objects.exists()


def test_malformed_json_and_other_formats_are_refused(tmp_path):
    where = write(tmp_path)
    (where / "topics.json").write_text('[{"id": 1,')
    with pytest.raises(DumpError, match=r"topics\.json: not JSON"):
        import_discourse(where, community="forum")
    (tmp_path / "se").mkdir()
    (tmp_path / "se" / "Posts.xml").write_text("<posts/>")
    with pytest.raises(DumpError, match="import stackexchange"):
        import_discourse(tmp_path / "se", community="forum")
    with pytest.raises(DumpError, match="Say where to import"):
        import_discourse(where)
    assert not Community.objects.exists()


def test_the_command(tmp_path):
    out = StringIO()
    call_command(
        "import",
        "discourse",
        str(write(tmp_path)),
        "--community",
        "forum",
        "--no-index",
        stdout=out,
    )
    assert "topics" in out.getvalue()
    with pytest.raises(CommandError, match="the file is missing"):
        call_command(
            "import", "discourse", str(tmp_path), "--community", "forum"
        )
