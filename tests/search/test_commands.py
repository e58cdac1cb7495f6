"""`practica reindex` and `practica indexer`: the operator's commands."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from practica.search import backends, documents, engine, indexer
from practica.search.documents import Doc
from practica.search.models import IndexCursor
from tests.conversations.factories import ask
from tests.search import sites

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(settings):
    # Production-like: searches do not catch up by themselves, so only
    # the commands can have put anything into the index.
    settings.SEARCH_INDEX_ON_READ = False
    return sites.build()


def found(site, text: str) -> list[str]:
    page = backends.search(viewer=site["insider"], text=text)
    return [h.title for h in page.hits]


def run(*args, **options) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def test_reindex_builds_the_index_with_progress(site):
    assert not (engine.path() / "meta.json").exists()
    output = run("reindex")
    total = documents.count()
    assert total == 4 + 3 + 5  # conversations, communities, people
    assert f"{total} documents" in output
    assert f"Indexed {total} documents" in output
    assert f"{total}/{total}" in output  # the progress bar, finished
    assert "Terraform state drift after import" in found(site, "drift")
    assert len(engine.stored_keys()) == total
    cursor = IndexCursor.objects.get(name=indexer.CURSOR)
    assert cursor.last_activity_id > 0
    assert run("reindex", verbosity=0) == ""


def test_reindex_removes_what_the_database_no_longer_holds(site):
    run("reindex", verbosity=0)
    ghost = Doc(
        key="conversation:999999",
        type="question",
        id=999999,
        community=site["public"].pk,
        title="A ghost terraform question",
        body="Left behind by a lost update.",
    )
    engine.write({ghost.key: ghost})
    assert "A ghost terraform question" in found(site, "ghost")
    run("reindex", verbosity=0)
    assert found(site, "ghost") == []
    assert ghost.key not in engine.stored_keys()


def test_a_killed_reindex_leaves_the_index_usable_and_a_rerun_finishes(
    site, monkeypatch
):
    run("reindex", verbosity=0)
    cursor = IndexCursor.objects.get(name=indexer.CURSOR).last_activity_id
    ask(site["asker"], site["public"], title="Gradle cache poisoning")
    real = engine.write
    calls = {"n": 0}

    def dies_on_the_second_batch(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(indexer.engine, "write", dies_on_the_second_batch)
    with pytest.raises(KeyboardInterrupt):
        run("reindex", verbosity=0)
    monkeypatch.setattr(indexer.engine, "write", real)
    # Nothing was cleared and the cursor did not move...
    assert "Flaky CI runners on Mondays" in found(site, "runners")
    assert "Olga Outsider" in found(site, "Olga")
    assert (
        IndexCursor.objects.get(name=indexer.CURSOR).last_activity_id == cursor
    )
    # ... so the indexer carries on from where it stood,
    run("indexer", once=True, settle=0)
    assert found(site, "gradle") == ["Gradle cache poisoning"]
    # and a rerun resumes after the batch that committed (the
    # conversations) and finishes; the bar counts what was done before.
    state = IndexCursor.objects.get(name=indexer.CURSOR)
    assert state.rebuild_from is not None
    assert state.rebuild_at.startswith("conversation:")
    output = run("reindex")
    assert f"Resuming an interrupted rebuild after {state.rebuild_at}" in (
        output
    )
    assert "Indexed 8 documents" in output  # 3 communities, 5 people
    assert "13/13" in output
    state.refresh_from_db()
    assert (state.rebuild_from, state.rebuild_at) == (None, "")
    assert state.last_activity_id >= cursor
    assert found(site, "gradle") == ["Gradle cache poisoning"]
    assert len(engine.stored_keys()) == 13


def test_reindex_restart_starts_over(site, monkeypatch):
    real = engine.write
    calls = {"n": 0}

    def dies_on_the_second_batch(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(indexer.engine, "write", dies_on_the_second_batch)
    with pytest.raises(KeyboardInterrupt):
        run("reindex", verbosity=0)
    monkeypatch.setattr(indexer.engine, "write", real)
    assert indexer.unfinished()
    output = run("reindex", restart=True)
    assert "Resuming" not in output
    assert "Indexed 12 documents" in output
    assert indexer.unfinished() is None


def test_an_interrupted_first_build_is_resumed_by_the_next_search(
    site, settings, monkeypatch
):
    settings.SEARCH_INDEX_ON_READ = True
    real = engine.write
    calls = {"n": 0}

    def dies_on_the_second_batch(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(indexer.engine, "write", dies_on_the_second_batch)
    with pytest.raises(KeyboardInterrupt):
        found(site, "drift")
    monkeypatch.setattr(indexer.engine, "write", real)
    assert indexer.unfinished()
    assert "Olga Outsider" in found(site, "Olga")
    assert indexer.unfinished() is None


def test_reindex_waits_for_another_indexer_then_gives_up(site):
    with indexer._exclusive() as mine:
        assert mine
        with pytest.raises(CommandError, match="Another indexer is running"):
            run("reindex", wait=0)
    assert not (engine.path() / "meta.json").exists()


def test_indexer_once_indexes_what_is_new(site):
    run("reindex", verbosity=0)
    ask(site["asker"], site["public"], title="Kubernetes ingress timeouts")
    assert found(site, "kubernetes") == []  # not on read in production
    # Younger than --settle: left for a later pass (a slower transaction
    # may still commit a lower id).
    assert run("indexer", once=True, settle=3600) == ""
    output = run("indexer", once=True, settle=0)
    assert re.search(r"^\S+ indexed 1 activity\.$", output, re.MULTILINE)
    assert found(site, "kubernetes") == ["Kubernetes ingress timeouts"]
    assert run("indexer", once=True, settle=0) == ""  # nothing new


def test_indexer_once_builds_a_missing_index(site):
    run("indexer", once=True, settle=0)
    assert "Terraform state drift after import" in found(site, "drift")


def test_a_failing_pass_fails_indexer_once(site, monkeypatch):
    def broken(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(indexer, "catch_up", broken)
    with pytest.raises(CommandError, match="disk full"):
        run("indexer", once=True)
