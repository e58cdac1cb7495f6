"""The one indexer: reads the activity record after its cursor and
re-indexes what each entry touched.

A process-wide file lock (for ``SEARCH_BACKEND=postgres``, a database
advisory lock) makes sure only one indexer writes at a time; anyone else
who calls :func:`catch_up` meanwhile just returns. The cursor moves only
after the index committed, so a crash repeats work (upserts are
idempotent) and never loses it.

The indexer writes to the configured engine (:func:`store`): the tantivy
index, or the ``search_document`` table on PostgreSQL.
"""

import fcntl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from practica.accounts.models import Expertise
from practica.conversations.models import Comment, Reply
from practica.core import cursors
from practica.core.models import Activity
from practica.events.models import Occurrence
from practica.search import documents, engine, postgres
from practica.search.models import IndexCursor
from practica.search.query import Parsed

CURSOR = "tantivy"
BATCH = 1000
REBUILD_COMMIT = 5000  # documents a rebuild writes per commit
# On PostgreSQL ids are handed out before commit, so a slow transaction
# can commit a lower id after a higher one; rows younger than this are
# left for the next run.
SETTLE = timedelta(seconds=1)
# pg_try_advisory_lock's key for the indexer (any constant will do).
ADVISORY_LOCK = 0x5EA4C4


class Engine(Protocol):
    """What an engine module offers the indexer and the backends."""

    def write(
        self, docs: dict[str, documents.Doc | None], *, clear: bool = False
    ) -> None: ...

    def stored_keys(self) -> set[str]: ...

    def search(
        self,
        *,
        parsed: Parsed,
        community_ids: list[int],
        community_slugs: dict[str, int],
        sort: str = "relevance",
        offset: int = 0,
        limit: int = 20,
        facets: bool = True,
    ) -> engine.Result: ...

    def similar(
        self, *, words: list[str], community_ids: list[int], limit: int
    ) -> list[engine.Hit]: ...

    def people(
        self,
        *,
        words: list[str],
        tags: list[str],
        limit: int,
        among: list[int] | None = None,
    ) -> list[engine.Match]: ...


def _in_postgres() -> bool:
    return settings.SEARCH_BACKEND == "postgres"


def store() -> Engine:
    """The engine SEARCH_BACKEND names: the database's full-text search
    for ``postgres``, else the embedded tantivy index."""
    return postgres if _in_postgres() else engine


def cursor_name() -> str:
    """Each engine has its own cursor, so switching engines builds the
    new one whole instead of trusting the other's progress."""
    return "postgres" if _in_postgres() else CURSOR


def _present() -> bool:
    # tantivy's directory may be missing or new; the table always exists.
    return _in_postgres() or (engine.path() / "meta.json").exists()


def built() -> bool:
    """Has the configured engine's index been built at all?"""
    if _in_postgres():
        return IndexCursor.objects.filter(
            name=cursor_name(), built_at__isnull=False
        ).exists()
    return _present()


@contextmanager
def _exclusive() -> Iterator[bool]:
    if _in_postgres():
        with _advisory() as mine:
            yield mine
        return
    where = engine.path()
    where.mkdir(parents=True, exist_ok=True)
    with open(where.parent / "indexer.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _advisory() -> Iterator[bool]:
    # A session lock, held across the pass's transactions, across
    # machines; it goes with the connection if the process dies.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK])
        mine = bool(cursor.fetchone()[0])
    if not mine:
        yield False
        return
    try:
        yield True
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK]
                )
        except DatabaseError:
            # An aborted transaction or a broken connection: closing it
            # surely releases the lock, and the error that got us here
            # is the one worth raising.
            connection.close()


def _keys(rows: list[tuple[int, int, dict[str, Any]]]) -> set[str]:
    """The documents a batch of activities touched."""
    models = {ct.pk: ct.model for ct in ContentType.objects.all()}
    keys: set[str] = set()
    replies, comments, expertise, events = set(), set(), set(), set()
    for type_id, target_id, data in rows:
        model = models.get(type_id, "")
        if model in ("conversation", "artifact", "community", "occurrence"):
            keys.add(f"{model}:{target_id}")
        elif model == "event":
            keys.add(f"event:{target_id}")
            events.add(target_id)
            if isinstance(data.get("new"), int):  # a series split
                keys.add(f"event:{data['new']}")
                events.add(data["new"])
        elif model == "user":
            keys.add(f"person:{target_id}")
        elif model == "reply":
            replies.add(target_id)
        elif model == "comment":
            comments.add(target_id)
        elif model == "expertise":
            expertise.add(target_id)
        for name in ("conversation", "into"):
            if isinstance(data.get(name), int):
                keys.add(f"conversation:{data[name]}")
    lookups: list[tuple[Any, set[int], str, str]] = [
        (Reply, replies, "conversation_id", "conversation"),
        (Comment, comments, "conversation_id", "conversation"),
        (Expertise, expertise, "user_id", "person"),
    ]
    if events:
        # Notes carry their event's title: an edited event renames them.
        for pk in Occurrence.objects.filter(
            event_id__in=events, notes_at__isnull=False
        ).values_list("pk", flat=True):
            keys.add(f"occurrence:{pk}")
    for model_cls, ids, column, kind in lookups:
        if ids:
            for value in model_cls.objects.filter(pk__in=ids).values_list(
                column, flat=True
            ):
                keys.add(f"{kind}:{value}")
    return keys


# What an eager catch-up in this process indexed beyond the cursor: the
# last activity id, and when those activities will have settled. Until
# then, pending() looks only past that id, so searches do not index the
# same young activities again and again; once they have settled, one
# more catch-up moves the cursor (reading anything that committed late
# below them).
_ahead: dict[tuple[str, str], tuple[int, datetime]] = {}


def _where() -> tuple[str, str]:
    return (cursor_name(), "" if _in_postgres() else str(engine.path()))


def pending() -> bool:
    """Is there anything the index has not seen yet? (two queries)"""
    cursor = IndexCursor.objects.filter(name=cursor_name()).first()
    if cursor is None or cursor.built_at is None or not _present():
        return True
    after = cursor.last_activity_id
    ahead, due = _ahead.get(_where(), (0, None))
    if ahead > after and due is not None:
        if timezone.now() >= due:
            return True
        after = ahead
    return Activity.objects.filter(pk__gt=after).exists()


def catch_up(*, settle: timedelta = SETTLE, eager: bool = False) -> int:
    """Index everything new since the cursor; returns activities read.

    Activities younger than ``settle`` may belong to a transaction that
    took its id before a slower one that has not committed yet, so the
    cursor never moves past them. Without ``eager`` they are left for a
    later pass; with it (the on-read catch-up, so that a person finds
    what they just wrote) they are indexed now and again on a later
    pass, once they have settled: writes are upserts, so repeating them
    is harmless, and whatever commits late below them is still read.

    When the index has never been built, builds it whole first (resuming
    a first build that was interrupted).
    """
    with _exclusive() as mine:
        if not mine:
            return 0
        cursor, _ = IndexCursor.objects.get_or_create(name=cursor_name())
        if cursor.built_at is None or not _present():
            # Never built (a first build that was interrupted resumes),
            # or its directory is gone. An interrupted `practica reindex`
            # over a built index is left for the operator to rerun: the
            # index is complete meanwhile, and catching up matters more.
            _rebuild_locked(cursor, progress=None)
        read = 0
        horizon = timezone.now() - settle
        after = cursor.last_activity_id
        entries = Activity.objects.values_list(
            "pk", "target_type_id", "target_id", "data", "created_at",
            named=True,
        )  # fmt: skip
        while True:
            batch = cursors.read_after(
                entries, after=after, size=BATCH, horizon=horizon
            )
            rows = batch.rows if eager else batch.done
            if not rows:
                _ahead.pop(_where(), None)
                return read
            keys = _keys(
                [(r.target_type_id, r.target_id, r.data or {}) for r in rows]
            )
            store().write(documents.build(keys))
            read += len(rows)
            if batch.settled:
                cursor.last_activity_id = batch.through
                cursor.save(update_fields=["last_activity_id", "updated_at"])
            if batch.waits:
                # The young ones wait for a later pass.
                if eager:
                    young = max(r.created_at for r in rows)
                    _ahead[_where()] = (rows[-1].pk, young + settle)
                else:
                    _ahead.pop(_where(), None)
                return read
            _ahead.pop(_where(), None)
            after = batch.through


def on_read_settle() -> timedelta:
    """How long the on-read catch-up treats activities as unsettled. On
    SQLite, writes are serialised, so ids commit in order: none. On
    PostgreSQL (and others), an id is handed out before its transaction
    commits: :data:`SETTLE`."""
    return timedelta(0) if connection.vendor == "sqlite" else SETTLE


class Busy(RuntimeError):
    """Another process holds the indexer lock."""


def _rebuild_locked(
    cursor: IndexCursor,
    progress: Callable[[int], None] | None,
    *,
    restart: bool = False,
) -> int:
    """Write every document again; returns how many this run wrote.

    An interrupted rebuild resumes after the last document it committed
    (unless ``restart``), and keeps the activity it first started from.
    """
    # Note where the activity record stands first: whatever happens
    # during the rebuild is picked up by the next catch-up.
    # (A resume needs the index it was writing: not one rebuilt empty.)
    resumed = cursor.rebuild_from is not None and not restart and _present()
    if not resumed:
        last = Activity.objects.order_by("-pk").values_list("pk", flat=True)
        cursor.rebuild_from = last.first() or 0
        cursor.rebuild_at = ""
        cursor.save(update_fields=["rebuild_from", "rebuild_at", "updated_at"])
    start = cursor.rebuild_from or 0
    after = cursor.rebuild_at or None
    if after and progress is not None:
        progress(documents.count_through(after))
    # Documents are replaced in place, a batch per commit, so searches
    # keep finding the old ones until theirs is rewritten; what the
    # database no longer holds is swept at the end. After each batch
    # the cursor row remembers the last key written: a rebuild killed
    # halfway leaves the index no worse than before (some documents
    # fresher), the catch-up cursor where it was, and a rerun carries on
    # from that key.
    count = 0
    batch: dict[str, documents.Doc | None] = {}
    through = ""  # the last key in the batch

    def commit() -> None:
        store().write(batch)
        cursor.rebuild_at = through
        cursor.save(update_fields=["rebuild_at", "updated_at"])
        if progress is not None:
            progress(len(batch))
        batch.clear()

    # Documents are built 500 at a time and committed up to
    # REBUILD_COMMIT at a time, a kind at a time: a commit (and the
    # merges it waits for) costs as much as indexing thousands of them.
    for keys in documents.all_keys(after=after):
        if batch and keys[0].partition(":")[0] != through.partition(":")[0]:
            commit()
        batch.update(documents.build(keys))
        through = keys[-1]
        count += len(keys)
        if len(batch) >= REBUILD_COMMIT:
            commit()
    if batch:
        commit()
    wanted: set[str] = set()
    for keys in documents.all_keys():
        wanted.update(keys)
    stale: dict[str, documents.Doc | None] = dict.fromkeys(
        store().stored_keys() - wanted
    )
    store().write(stale)
    with transaction.atomic():
        cursor.last_activity_id = start
        cursor.rebuild_from = None
        cursor.rebuild_at = ""
        cursor.built_at = timezone.now()
        cursor.save(
            update_fields=[
                "last_activity_id",
                "built_at",
                "rebuild_from",
                "rebuild_at",
                "updated_at",
            ]
        )
    return count


def unfinished() -> str | None:
    """The last key an interrupted rebuild committed, if one is waiting
    to be resumed ("" when it stopped before its first batch)."""
    cursor = IndexCursor.objects.filter(name=cursor_name()).first()
    if cursor is None or cursor.rebuild_from is None:
        return None
    return cursor.rebuild_at


def rebuild(
    progress: Callable[[int], None] | None = None, *, restart: bool = False
) -> int:
    """Rebuild the whole index from the database; returns the documents
    written. Resumes an interrupted rebuild unless ``restart``.

    Refuses (:class:`Busy`) while another indexer is writing.
    """
    with _exclusive() as mine:
        if not mine:
            raise Busy(
                "Another indexer is running; try again when it is done."
            )
        cursor, _ = IndexCursor.objects.get_or_create(name=cursor_name())
        return _rebuild_locked(cursor, progress, restart=restart)
