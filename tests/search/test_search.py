import pytest
from django.contrib.auth.models import AnonymousUser

from practica.communities.models import Role
from practica.conversations import services as conv
from practica.repertoire import services as rep
from practica.search import backends, indexer
from practica.search.query import parse
from tests.conversations.factories import answer, ask
from tests.factories import CommunityFactory, UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    public = CommunityFactory(name="Platform", slug="platform")
    private = CommunityFactory(slug="secret", visibility="private")
    asker = member(public)
    q1 = ask(
        asker,
        public,
        title="Terraform state drift after import",
        body="Our state drifts after every import of the VPC.",
        tags=["terraform"],
    )
    r = answer(
        member(public),
        q1,
        body="Run plan with -refresh-only and commit the state.",
    )
    conv.reply_accept(actor=asker, reply=r)
    q2 = ask(
        asker,
        public,
        title="Flaky CI runners on Mondays",
        body="Runners time out every Monday morning, caches are cold.",
    )
    hidden = ask(
        member(private),
        private,
        title="Terraform secrets in the private plan",
        body="Secret terraform material nobody outside may see.",
    )
    return {
        "public": public,
        "private": private,
        "asker": asker,
        "q1": q1,
        "q2": q2,
        "hidden": hidden,
    }


def search(viewer, text, **kw):
    return backends.search(viewer=viewer, text=text, **kw)


def test_words_stemming_accents_and_permissions(site):
    viewer = UserFactory()
    page = search(viewer, "terraforms drifting")
    assert [h.id for h in page.hits] == [site["q1"].pk]
    assert "<b>" in page.hits[0].snippet_html
    # the private thread is invisible: not in hits, counts or facets
    page = search(viewer, "terraform")
    assert site["hidden"].pk not in [h.id for h in page.hits]
    assert page.total == 1
    assert str(site["private"].pk) not in page.facets["community"]
    insider = member(site["private"])
    assert site["hidden"].pk in [
        h.id for h in search(insider, "terraform").hits
    ]


def test_operators(site):
    viewer = UserFactory()
    assert [h.id for h in search(viewer, '"state drift"').hits] == [
        site["q1"].pk
    ]
    assert search(viewer, '"drift state"').hits == []
    assert [h.id for h in search(viewer, "runn*").hits] == [site["q2"].pk]
    ids = [h.id for h in search(viewer, "terraform -import").hits]
    assert site["q1"].pk not in ids
    assert [h.id for h in search(viewer, "is:solved").hits] == [site["q1"].pk]
    assert [h.id for h in search(viewer, "is:unanswered").hits] == [
        site["q2"].pk
    ]
    assert [h.id for h in search(viewer, "tag:terraform state").hits] == [
        site["q1"].pk
    ]
    assert search(viewer, "community:nowhere state").hits == []
    assert len(search(viewer, "community:platform type:question").hits) == 2
    name = site["asker"].display_name.split()[0]
    assert len(search(viewer, f"author:{name} type:question").hits) == 2
    assert search(viewer, "before:2000-01-01 terraform").hits == []
    # One open side (tantivy refused an exclusive bound on it), both, and
    # dates beyond what the engine stores.
    assert search(viewer, "after:2999-01-01 is:question").hits == []
    assert len(search(viewer, "after:0001-01-01 is:question").hits) == 2
    assert len(search(viewer, "after:2000-01-01 terraform").hits) == 1
    assert len(search(viewer, "after:2000-01-01 is:question").hits) == 2
    assert (
        len(
            search(
                viewer, "after:2000-01-01 before:2999-01-01 is:question"
            ).hits
        )
        == 2
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        '"',
        '"""',
        "-",
        "- - -",
        "(",
        ")",
        "AND OR NOT",
        "*",
        "field:value:other",
        "tag:",
        "is:",
        "a" * 10_000,
        "' OR 1=1 --",
        "\x00\x01",
        "ü" * 300,
        '"unbalanced phrase',
    ],
)
def test_bad_input_never_raises(site, text):
    page = search(UserFactory(), text)
    assert page.total >= 0


def test_edits_and_deletes_show_after_indexing(site):
    viewer = UserFactory()
    assert search(viewer, "kubernetes").hits == []
    conv.conversation_edit(
        actor=site["asker"],
        conversation=site["q2"],
        title="Flaky kubernetes runners on Mondays",
        body=site["q2"].body,
    )
    assert [h.id for h in search(viewer, "kubernetes").hits] == [site["q2"].pk]
    coordinator = member(site["public"], Role.COORDINATOR)
    conv.conversation_merge(
        actor=coordinator,
        conversation=site["q2"],
        into=site["q1"],
        reason="Same",
    )
    assert search(viewer, "kubernetes").hits == []


def test_indexer_crash_loses_nothing(site, monkeypatch):
    viewer = UserFactory()
    search(viewer, "terraform")  # index built
    ask(site["asker"], site["public"], title="Gradle cache poisoning")
    calls = {"n": 0}
    real = indexer.engine.write

    def crash(*args, **kwargs):
        calls["n"] += 1
        raise RuntimeError("killed")

    monkeypatch.setattr(indexer.engine, "write", crash)
    with pytest.raises(RuntimeError):
        indexer.catch_up(settle=indexer.timedelta(0))
    monkeypatch.setattr(indexer.engine, "write", real)
    assert [h.title for h in search(viewer, "gradle").hits] == [
        "Gradle cache poisoning"
    ]


def test_artifacts_people_and_drafts(site):
    owner = member(site["public"])
    rep.artifact_create(
        author=owner,
        community=site["public"],
        title="Terraform import checklist",
        body="Import, plan, refresh.",
        status="published",
    )
    rep.artifact_create(
        author=owner,
        community=site["public"],
        title="Terraform draft notes",
        body="Not yet.",
    )
    viewer = UserFactory(
        display_name="Zanele Dlamini", job_title="Terraform wrangler"
    )
    types = {h.type: h.title for h in search(viewer, "terraform").hits}
    assert types["artifact"] == "Terraform import checklist"
    assert "Terraform draft notes" not in types.values()
    assert types["person"] == "Zanele Dlamini"
    # people are for signed-in eyes only
    anon = search(AnonymousUser(), "terraform")
    assert "person" not in {h.type for h in anon.hits}


def test_snippets_are_html_safe(site):
    ask(
        site["asker"],
        site["public"],
        title="Script injection attempt",
        body='<script>alert("x")</script> injection <img src=x onerror=y>',
    )
    hit = search(UserFactory(), "injection").hits[0]
    assert "<script" not in hit.snippet_html
    assert "<img" not in hit.snippet_html


def test_rebuild_and_parse_notes(site):
    assert indexer.rebuild() >= 3
    parsed = parse("is:weird after:soon")
    assert len(parsed.notes) == 2


def test_a_commit_by_another_process_is_seen_and_renames_the_index(site):
    import tantivy as tv

    from practica.search import engine

    viewer = UserFactory()
    assert search(viewer, "zeppelin").hits == []
    _, before = engine.current()
    # Another process (the indexer) opens the same directory and commits.
    other = tv.Index(engine._schema(), path=str(engine.path()), reuse=True)
    for name, analyzer in engine._analyzers().items():
        other.register_tokenizer(name, analyzer)
    writer = other.writer(heap_size=15_000_000, num_threads=1)
    writer.add_document(
        engine._document(
            indexer.documents.Doc(
                key="conversation:999999",
                type="question",
                id=999999,
                community=site["public"].pk,
                title="Zeppelin mooring lines",
                body="How long should the mooring lines of a zeppelin be?",
            )
        )
    )
    writer.commit()
    writer.wait_merging_threads()
    _, after = engine.current()
    assert after != before
    found = engine.search(
        parsed=parse("zeppelin"),
        community_ids=[site["public"].pk],
        community_slugs={},
    )
    assert [h.id for h in found.hits] == [999999]
    assert engine.current()[1] == after  # nothing new: the same name


def test_excerpts_find_words_deep_in_a_long_thread(site):
    from practica.search import engine

    filler = "Nothing to see in this sentence about pumps. " * 60
    assert len(filler) > 2 * engine.WINDOW
    q = ask(
        site["asker"],
        site["public"],
        title="A long thread",
        body=f"{filler} At last the quokka appears. {filler}",
    )
    hits = search(UserFactory(), "quokka").hits
    assert [h.id for h in hits] == [q.pk]
    assert "<b>quokka</b>" in hits[0].snippet_html
    # and a word near the start is marked from the first window alone
    hits = search(UserFactory(), "long pumps").hits
    assert "<b>pumps</b>" in hits[0].snippet_html


@pytest.mark.django_db
def test_a_visitors_scope_follows_each_communitys_visibility_at_once():
    # The signed-out scope's query is compiled once per process; what it
    # finds is read fresh every time.
    first = CommunityFactory(slug="first")
    assert backends.scope(AnonymousUser()).slugs == {"first": first.pk}
    later = CommunityFactory(slug="later")
    first.visibility = "private"
    first.save()
    found = backends.scope(AnonymousUser())
    assert found.slugs == {"later": later.pk}
    assert found.ids == [later.pk]
    assert found.names == {later.pk: ("later", later.name)}
