"""practica import_corpus: the shared benchmark corpus, loaded fast."""

import json
import subprocess
import sys
from datetime import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command

from practica.accounts.models import User
from practica.communities.models import Community, Membership, Status
from practica.conversations import importer
from practica.conversations.models import Conversation, Reply, Revision, Tag
from practica.core.models import Activity
from practica.search import backends
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CORPUS_PY = Path(__file__).resolve().parents[3] / "shared/bench/corpus.py"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    assert CORPUS_PY.exists(), f"{CORPUS_PY}: the shared corpus generator"
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run(  # noqa: S603 (our interpreter, a file of the repo)
        [
            sys.executable,
            str(CORPUS_PY),
            "--users",
            "20",
            "--threads",
            "30",
            "--replies",
            "3",
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    return out


def rows(path):
    with path.open() as handle:
        return [json.loads(line) for line in handle if line.strip()]


def when(value):
    return datetime.fromisoformat(value)


def load(corpus, **kw):
    return importer.import_corpus(corpus, community="corpus", **kw)


def test_counts_and_counters(corpus):
    meta = json.loads((corpus / "meta.json").read_text())
    result = load(corpus, index=False)
    community = Community.objects.get(slug="corpus")
    assert result.community_created
    assert community.visibility == "public"
    assert community.policy == "open"
    assert User.objects.count() == meta["users"] == 20
    assert Conversation.objects.filter(community=community).count() == 30
    assert Reply.objects.count() == meta["posts"] == 90
    assert community.member_count == 20
    assert (
        Membership.objects.filter(
            community=community, status=Status.ACTIVE
        ).count()
        == 20
    )
    assert set(Conversation.objects.values_list("reply_count", flat=True)) == {
        3
    }
    assert importer.check_counters(community) == []
    # every tag named in the corpus, counted once per question
    uses: dict[str, int] = {}
    for t in rows(corpus / "threads.jsonl"):
        for name in t["tags"]:
            uses[name] = uses.get(name, 0) + 1
    assert dict(Tag.objects.values_list("slug", "use_count")) == uses
    assert result.users_created == 20
    assert result.conversations_created == 30
    assert result.replies_created == 90
    assert result.rows_per_second > 0
    # nobody can sign in with a password they never set
    assert not any(u.has_usable_password() for u in User.objects.all())
    # one activity entry per question, dated when it was asked
    entries = Activity.objects.filter(verb="question.created")
    assert entries.count() == 30
    first = Conversation.objects.get(import_key="1")
    entry = entries.get(target_id=first.pk)
    assert entry.created_at == first.created_at
    assert entry.actor_id == first.author_id
    assert entry.data["imported"] == "1"


def test_a_known_thread_with_its_answers(corpus):
    meta = json.loads((corpus / "meta.json").read_text())
    load(corpus, index=False)
    tid = meta["detail_thread_id"]
    thread = next(t for t in rows(corpus / "threads.jsonl") if t["id"] == tid)
    posts = [p for p in rows(corpus / "posts.jsonl") if p["thread_id"] == tid]
    users = {u["id"]: u for u in rows(corpus / "users.jsonl")}
    c = Conversation.objects.get(import_key=str(tid))
    assert c.kind == "question"
    assert c.title == thread["title"]
    assert c.body == thread["body"]
    assert c.body_html.startswith("<p>")
    assert "<script" not in c.body_html
    assert c.created_at == when(thread["created"])
    assert c.author.email == users[thread["author_id"]]["email"]
    assert c.author.display_name == users[thread["author_id"]]["display_name"]
    assert c.tag_names == thread["tags"]
    assert sorted(t.slug for t in c.tags.all()) == sorted(thread["tags"])
    replies = list(c.replies.order_by("created_at"))
    assert [r.body for r in replies] == [p["body"] for p in posts]
    assert [r.created_at for r in replies] == [
        when(p["created"]) for p in posts
    ]
    assert [r.author.email for r in replies] == [
        users[p["author_id"]]["email"] for p in posts
    ]
    assert all(r.body_html.startswith("<p>") for r in replies)
    assert c.reply_count == 3
    assert c.last_activity_at == when(posts[-1]["created"])
    # the original text is revision 1 of the question and of each answer
    assert list(
        Revision.objects.filter(conversation=c).values_list(
            "reply_id", "number", "message"
        )
    ) == [(None, 1, "Imported")] + [(r.pk, 1, "Imported") for r in replies]


def test_the_page_shows_an_imported_question(corpus, client):
    load(corpus, index=False)
    c = Conversation.objects.get(import_key="15")
    page = client.get(f"/q/{c.pk}/")
    assert page.status_code == 200
    first = c.replies.order_by("created_at").first()
    assert first is not None
    assert first.body_html[:60] in page.content.decode()


def test_importing_again_changes_nothing(corpus):
    load(corpus, index=False)

    def snapshot():
        return {
            "users": User.objects.count(),
            "conversations": list(
                Conversation.objects.order_by("pk").values_list(
                    "pk", "reply_count", "last_activity_at", "version"
                )
            ),
            "replies": Reply.objects.count(),
            "tags": list(Tag.objects.values_list("slug", "use_count")),
            "members": Membership.objects.count(),
            "member_count": Community.objects.get().member_count,
            "revisions": Revision.objects.count(),
            "activity": Activity.objects.count(),
        }

    before = snapshot()
    again = load(corpus, index=False)
    assert snapshot() == before
    assert again.rows == 0
    assert not again.community_created
    assert again.users_existing == 20
    assert again.conversations_skipped == 30
    assert again.replies_skipped == 90


def test_an_interrupted_import_is_completed(corpus):
    load(corpus, index=False)
    lost = Conversation.objects.get(import_key="7")
    lost.delete()
    result = load(corpus, index=False)
    assert result.conversations_created == 1
    assert result.replies_created == 3
    assert Conversation.objects.count() == 30
    assert Reply.objects.count() == 90
    assert importer.check_counters(Community.objects.get()) == []


def test_people_already_there_are_matched_by_email(corpus):
    first = rows(corpus / "users.jsonl")[0]
    someone = UserFactory(email=first["email"].upper(), display_name="Kept")
    someone.email = first["email"]  # emails are stored lower-cased
    someone.save()
    result = load(corpus, index=False)
    assert result.users_created == 19
    assert result.users_existing == 1
    someone.refresh_from_db()
    assert someone.display_name == "Kept"
    assert Membership.objects.filter(user=someone).exists()


def test_the_rare_word_finds_exactly_its_threads(corpus, settings):
    settings.SEARCH_BACKEND = "tantivy"
    meta = json.loads((corpus / "meta.json").read_text())
    result = load(corpus)
    assert result.indexed >= 30
    rare = set(
        Conversation.objects.filter(
            import_key__in=[str(i) for i in meta["rare_thread_ids"]]
        ).values_list("pk", flat=True)
    )
    assert len(rare) == meta["rare_count"]
    page = backends.search(
        viewer=AnonymousUser(), text=meta["rare_token"], limit=50
    )
    assert {h.id for h in page.hits} == rare
    assert page.total == len(rare)
    common = backends.search(
        viewer=AnonymousUser(), text=meta["common_word"], limit=50
    )
    assert common.total > len(rare)


def test_the_command_reports_rows_per_second(corpus):
    out = StringIO()
    call_command("import_corpus", str(corpus), community="corpus", stdout=out)
    text = out.getvalue()
    assert "rows/s" in text
    assert "questions" in text
    assert Conversation.objects.count() == 30


def write(path, items):
    path.write_text("".join(json.dumps(i) + "\n" for i in items))


@pytest.fixture
def tiny(tmp_path):
    user = {
        "id": 1,
        "username": "ana",
        "email": "ana@example.com",
        "display_name": "Ana",
        "joined": "2024-01-02T03:04:05Z",
    }
    thread = {
        "id": 1,
        "author_id": 1,
        "title": "Why does the pool run dry?",
        "body": "Our connection pool runs dry at noon.",
        "tags": ["pools"],
        "created": "2024-02-01T00:00:00Z",
    }
    post = {
        "id": 1,
        "thread_id": 1,
        "author_id": 1,
        "body": "Raise the pool size.",
        "created": "2024-02-02T00:00:00Z",
    }
    write(tmp_path / "users.jsonl", [user])
    write(tmp_path / "threads.jsonl", [thread, {**thread, "id": 2}])
    write(tmp_path / "posts.jsonl", [post])
    return {"dir": tmp_path, "thread": thread, "post": post}


def test_bad_input_names_the_file_and_line(tiny):
    directory, thread = tiny["dir"], tiny["thread"]
    (directory / "threads.jsonl").write_text(
        json.dumps(thread) + "\n{not json\n"
    )
    with pytest.raises(importer.CorpusError, match=r"threads\.jsonl:2"):
        load(directory, index=False)


def test_an_unknown_author_is_refused(tiny):
    directory, post = tiny["dir"], tiny["post"]
    write(directory / "posts.jsonl", [{**post, "author_id": 9}])
    with pytest.raises(importer.CorpusError, match="author_id 9"):
        load(directory, index=False)
    # the batch was written whole or not at all
    assert not Conversation.objects.exists()


def test_posts_out_of_order_are_refused(tiny):
    directory, thread, post = tiny["dir"], tiny["thread"], tiny["post"]
    threads = [{**thread, "id": i} for i in range(1, 4)]
    write(directory / "threads.jsonl", threads)
    write(
        directory / "posts.jsonl",
        [{**post, "thread_id": 3}, {**post, "id": 2, "thread_id": 1}],
    )
    with pytest.raises(importer.CorpusError, match=r"posts\.jsonl:2"):
        load(directory, index=False, batch_size=2)


def test_posts_of_missing_threads_are_counted(tiny):
    directory, post = tiny["dir"], tiny["post"]
    write(
        directory / "posts.jsonl",
        [post, {**post, "id": 2, "thread_id": 99}],
    )
    result = load(directory, index=False)
    assert result.replies_created == 1
    assert "1 posts name a thread" in result.notes[0]


def test_the_command_says_what_is_wrong(tmp_path):
    with pytest.raises(CommandError, match=r"users\.jsonl is missing"):
        call_command(
            "import_corpus", str(tmp_path), community="x", verbosity=0
        )


def test_the_worker_processes_give_the_same_import(corpus):
    def pages(slug):
        return sorted(
            Conversation.objects.filter(community__slug=slug).values_list(
                "import_key", "title", "body_html", "reply_count", "tag_names"
            )
        ) + sorted(
            Reply.objects.filter(
                conversation__community__slug=slug
            ).values_list(
                "conversation__import_key", "body_html", "created_at"
            )
        )

    pooled = importer.import_corpus(
        corpus, community="pooled", workers=2, index=False
    )
    alone = importer.import_corpus(
        corpus, community="alone", workers=0, index=False
    )
    assert pooled.conversations_created == alone.conversations_created == 30
    assert pages("pooled") == pages("alone")
