"""SEARCH_BACKEND=postgres: the behaviours of test_search.py, on the
database's own full-text search (run with a PostgreSQL DATABASE_URL)."""

import threading
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from practica.communities.models import Role
from practica.conversations import services as conv
from practica.repertoire import services as rep
from practica.search import backends, documents, indexer, postgres
from practica.search.models import IndexCursor, SearchDocument
from tests.conversations.factories import ask
from tests.factories import UserFactory, member
from tests.search import sites

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL full-text search needs PostgreSQL",
    ),
]


@pytest.fixture(autouse=True)
def _postgres(settings):
    settings.SEARCH_BACKEND = "postgres"


@pytest.fixture
def site():
    return sites.build()


def search(viewer, text, **kw):
    return backends.search(viewer=viewer, text=text, **kw)


def ids(page) -> list[int]:
    return [h.id for h in page.hits]


def test_schema_has_the_vector_its_index_and_folds_accents():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT is_generated FROM information_schema.columns "
            "WHERE table_name = 'search_document' "
            "AND column_name = 'search_vector'"
        )
        assert cursor.fetchone() == ("ALWAYS",)
        cursor.execute(
            "SELECT indexdef FROM pg_indexes "
            "WHERE indexname = 'search_document_vector'"
        )
        assert "gin (search_vector)" in cursor.fetchone()[0]
        cursor.execute("SELECT to_tsvector('practica', 'Café drifting')")
        assert cursor.fetchone()[0] == "'cafe':1 'drift':2"


def test_words_stemming_accents_and_permissions(site):
    outsider = site["outsider"]
    page = search(outsider, "terraforms drifting")
    assert ids(page) == [site["solved"].pk]
    assert "<b>" in page.hits[0].snippet_html
    assert page.hits[0].score > 0
    conv.conversation_edit(
        actor=site["asker"],
        conversation=site["open"],
        title="Flaky CI runners on Mondays at the café",
        body=site["open"].body,
    )
    assert ids(search(outsider, "cafe")) == [site["open"].pk]
    assert ids(search(outsider, "CAFÉ")) == [site["open"].pk]


def test_the_private_community_never_reaches_outsiders(site):
    for viewer in (site["outsider"], AnonymousUser()):
        page = search(viewer, "terraform")
        assert site["hidden"].pk not in ids(page)
        assert str(site["private"].pk) not in page.facets["community"]
        assert "vault-secrets" not in page.facets["tags"]
        assert sum(page.facets["type"].values()) == page.total
        assert all("Secret" not in h.snippet_html for h in page.hits)
        assert search(viewer, "secret").total == 0
        assert search(viewer, "tag:vault-secrets").total == 0
        assert search(viewer, "community:vault").total == 0
        assert search(viewer, "author:ivo type:question").total == 0
    # signed in, the organisation-wide question too; anonymous, not
    assert search(site["outsider"], "terraform").total == 3
    assert search(AnonymousUser(), "terraform").total == 2
    insider = search(site["insider"], "terraform")
    assert site["hidden"].pk in ids(insider)
    assert insider.facets["tags"]["vault-secrets"] == 1
    assert insider.facets["community"][str(site["private"].pk)] == 1
    # and "similar questions" the same way
    similar = backends.query(viewer=site["outsider"], text="terraform vault")
    assert site["hidden"].pk not in [h.id for h in similar]
    assert site["hidden"].pk in [
        h.id
        for h in backends.query(viewer=site["insider"], text="terraform vault")
    ]


def test_operators(site):
    viewer = site["outsider"]
    solved, open_q, org = site["solved"].pk, site["open"].pk, site["org"].pk
    assert ids(search(viewer, '"state drift"')) == [solved]
    assert search(viewer, '"drift state"').hits == []
    assert ids(search(viewer, "runn*")) == [open_q]
    assert ids(search(viewer, "terra* mond*")) == [open_q]
    assert solved not in ids(search(viewer, "terraform -import"))
    assert solved not in ids(search(viewer, 'terraform -"state drift"'))
    # an excluded stop word excludes nothing
    assert solved in ids(search(viewer, "terraform -the"))
    assert ids(search(viewer, "is:solved")) == [solved]
    assert set(ids(search(viewer, "is:unsolved terraform"))) == {open_q, org}
    assert ids(search(viewer, "is:unanswered")) == [org, open_q]
    assert ids(search(viewer, "tag:terraform state")) == [solved]
    assert search(viewer, "community:nowhere state").hits == []
    assert ids(search(viewer, "in:platform type:question")) == [open_q, solved]
    assert ids(search(viewer, "author:asha type:question")) == [
        open_q,
        solved,
    ]
    assert ids(search(viewer, "by:ASKER drift")) == [solved]
    assert search(viewer, "before:2000-01-01 terraform").hits == []
    assert len(search(viewer, "after:2000-01-01 terraform").hits) == 3
    assert search(viewer, "type:community platform").hits[0].title == (
        "Platform Guild"
    )


def test_ranking_sorting_and_paging(site):
    viewer = site["outsider"]
    # a title match outranks a body match
    page = search(viewer, "modules")
    assert ids(page)[0] == site["org"].pk
    newest = search(viewer, "terraform", sort="newest")
    assert ids(newest) == [site["org"].pk, site["open"].pk, site["solved"].pk]
    first = search(viewer, "terraform", sort="newest", limit=2)
    assert first.total == 3 and first.next_offset == 2
    rest = search(viewer, "terraform", sort="newest", offset=2, limit=2)
    assert ids(rest) == [site["solved"].pk] and rest.next_offset is None
    beyond = search(viewer, "terraform", offset=500)
    assert beyond.hits == [] and beyond.total == 3


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
        "'; DROP TABLE search_document; --",
        "\x00\x01",
        "tag:\x00 author:\x00",
        "ü" * 300,
        '"unbalanced phrase',
        "the of and",
        "-the",
        "te'rr:* & !x | y <-> z",
        "'quoted':* & !!",
        "\\' \\\\ %s %(x)s",
        "\ue000 \ue001",
    ],
)
def test_bad_input_never_raises(site, text):
    assert search(site["outsider"], "terraform").total == 3  # built
    page = search(site["outsider"], text)
    assert page.total >= 0
    assert backends.query(viewer=site["outsider"], text=text) is not None
    assert search(site["outsider"], "terraform").total == 3


def test_snippets_are_html_safe(site):
    ask(
        site["asker"],
        site["public"],
        title="Script injection attempt",
        body='<script>alert("x")</script> injection <img src=x onerror=y> '
        "& more \ue000 marks \ue001",
    )
    hit = search(site["outsider"], "injection").hits[0]
    for html in (hit.snippet_html, hit.answer_html):
        assert "<script" not in html
        assert "<img" not in html
        assert "\ue000" not in html and "\ue001" not in html
    assert "<b>injection</b>" in hit.snippet_html
    assert "&lt;" in hit.snippet_html or "&amp;" in hit.snippet_html
    solved = search(site["outsider"], "refresh").hits[0]
    assert "<b>refresh</b>" in solved.answer_html


def test_edits_and_deletes_show_after_indexing(site):
    viewer = site["outsider"]
    assert search(viewer, "kubernetes").hits == []
    conv.conversation_edit(
        actor=site["asker"],
        conversation=site["open"],
        title="Flaky kubernetes runners on Mondays",
        body=site["open"].body,
    )
    assert ids(search(viewer, "kubernetes")) == [site["open"].pk]
    coordinator = member(site["public"], Role.COORDINATOR)
    conv.conversation_merge(
        actor=coordinator,
        conversation=site["open"],
        into=site["solved"],
        reason="Same",
    )
    assert search(viewer, "kubernetes").hits == []
    key = f"conversation:{site['open'].pk}"
    assert not SearchDocument.objects.filter(key=key).exists()


def test_production_mode_waits_for_the_indexer(site, settings):
    settings.SEARCH_INDEX_ON_READ = False
    assert search(site["outsider"], "terraform").hits == []
    indexer.catch_up(settle=indexer.timedelta(0))  # builds it whole
    assert search(site["outsider"], "terraform").total == 3
    conv.conversation_edit(
        actor=site["asker"],
        conversation=site["open"],
        title="Flaky kubernetes runners",
        body=site["open"].body,
    )
    assert search(site["outsider"], "kubernetes").hits == []
    assert indexer.catch_up(settle=indexer.timedelta(0)) == 1
    assert ids(search(site["outsider"], "kubernetes")) == [site["open"].pk]
    assert IndexCursor.objects.get(name="postgres").last_activity_id > 0
    assert not IndexCursor.objects.filter(name=indexer.CURSOR).exists()


def test_indexer_crash_loses_nothing(site, monkeypatch):
    viewer = site["outsider"]
    search(viewer, "terraform")  # built
    ask(site["asker"], site["public"], title="Gradle cache poisoning")

    def crash(*args, **kwargs):
        raise RuntimeError("killed")

    monkeypatch.setattr(postgres, "write", crash)
    with pytest.raises(RuntimeError):
        indexer.catch_up(settle=indexer.timedelta(0))
    monkeypatch.undo()
    assert [h.title for h in search(viewer, "gradle").hits] == [
        "Gradle cache poisoning"
    ]


def test_one_indexer_at_a_time_across_connections(site):
    seen: list[bool] = []

    def elsewhere():
        try:
            with indexer._exclusive() as mine:
                seen.append(mine)
        finally:
            connection.close()

    with indexer._exclusive() as mine:
        assert mine
        other = threading.Thread(target=elsewhere)
        other.start()
        other.join()
    assert seen == [False]
    other = threading.Thread(target=elsewhere)
    other.start()
    other.join()
    assert seen == [False, True]


def test_rebuild_sweeps_what_the_database_no_longer_holds(site):
    ghost = documents.Doc(
        key="conversation:999999",
        type="question",
        id=999999,
        community=site["public"].pk,
        title="A ghost terraform question",
        body="Left behind.",
    )
    postgres.write({ghost.key: ghost})
    assert indexer.rebuild() == documents.count()
    assert ghost.key not in postgres.stored_keys()
    assert len(postgres.stored_keys()) == documents.count()


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
    anon = search(AnonymousUser(), "terraform")
    assert "person" not in {h.type for h in anon.hits}


def test_similar_questions(site):
    hits = backends.query(
        viewer=site["outsider"], text="How do I fix terraform drift?"
    )
    assert hits[0].id == site["solved"].pk
    assert hits[0].solved and hits[0].community_slug == "platform"
    assert {h.kind for h in hits} <= {"question", "discussion"}


def test_the_page_and_the_api_work_unchanged(site, client):
    client.force_login(site["outsider"])
    response = client.get(reverse("search:page"), {"q": "drift"})
    assert response.status_code == 200
    assert "Terraform state drift after import" in response.text
    assert "<b>drift" in response.text
    body = client.get("/api/v1/search", {"q": "terraform"}).json()
    assert body["total"] == 3
    assert "Vault" not in response.text + str(body)


def test_reindex_command_fills_the_table(site, settings):
    settings.SEARCH_INDEX_ON_READ = False
    out = StringIO()
    call_command("reindex", stdout=out, stderr=StringIO())
    assert "in the database (search_document)" in out.getvalue()
    assert SearchDocument.objects.count() == documents.count()
    assert search(site["outsider"], "drift").total == 1
