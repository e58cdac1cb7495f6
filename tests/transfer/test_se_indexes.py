"""A large first Stack Exchange import on SQLite builds the posts'
secondary indexes after the load: they are back when it ends, when it
is stopped, and on the next run after a process killed outright."""

import pytest
from django.db import connection

from practica.conversations import importer
from practica.transfer import stackexchange
from tests.transfer.test_stackexchange import fingerprint, load, needs_dump

pytestmark = [
    needs_dump,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="SQLite's bulk load only"
    ),
]


def missing() -> set[str]:
    """The posts' secondary indexes that are not there."""
    wanted = importer._secondary_indexes(stackexchange.POST_TABLES)
    return set(wanted) - importer._present_indexes(wanted)


@pytest.fixture
def large(monkeypatch):
    """Treat the real dump (1,446 posts) as a large one."""
    monkeypatch.setattr(stackexchange, "DEFER_INDEXES_FROM", 1)


def test_the_indexes_are_built_after_the_load(large, monkeypatch):
    everything = set(importer._secondary_indexes(stackexchange.POST_TABLES))
    assert len(everything) > 20 and not missing()
    seen: list[set[str]] = []
    real = stackexchange.StackExchangeImport.posts

    def spy(self):
        seen.append(missing())
        return real(self)

    monkeypatch.setattr(stackexchange.StackExchangeImport, "posts", spy)
    result = load()
    assert seen == [everything]
    assert not missing()
    assert result.created["questions"] == 453
    # a second run (nothing new to write) keeps them up
    again = load()
    assert again.skipped["questions"] == 453
    assert seen == [everything, set()]
    assert not missing()


def test_a_stopped_or_killed_load_gets_its_indexes_back(large, monkeypatch):
    real = stackexchange.StackExchangeImport._write_answers
    calls = {"n": 0}

    def dies_on_the_second_batch(self, todo):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(self, todo)

    monkeypatch.setattr(
        stackexchange.StackExchangeImport,
        "_write_answers",
        dies_on_the_second_batch,
    )
    with pytest.raises(KeyboardInterrupt):
        load(community="resumed", batch_size=500)
    # stopped: rebuilt on the way out
    assert not missing()
    # killed outright (no way out): the next run builds them first
    with connection.cursor() as cursor:
        for name in importer._secondary_indexes(stackexchange.POST_TABLES):
            cursor.execute(f'DROP INDEX "{name}"')
    assert missing()
    monkeypatch.setattr(
        stackexchange.StackExchangeImport, "_write_answers", real
    )
    load(community="resumed", batch_size=500)
    assert not missing()
    load(community="straight")
    assert fingerprint("resumed") == fingerprint("straight")
