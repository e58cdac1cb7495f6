"""Fast import of a Q&A corpus: ``practica import_corpus DIR``.

Reads the neutral JSONL format of ``shared/bench/corpus.py`` (and of
exports from other forums shaped like it)::

    users.jsonl    id, username, email, display_name, joined
    threads.jsonl  id, author_id, title, body (Markdown), tags, created
    posts.jsonl    id, thread_id, author_id, body (Markdown), created

Each thread becomes a question in one community with its posts as
answers. The files are streamed: memory holds one batch of threads with
their posts, plus the map of corpus user ids to accounts. Rows are
written with ``bulk_create`` in one transaction per batch, so a thread
is imported whole (question, answers, tags, revisions, activity) or not
at all. Markdown is rendered once here, as the services do; counters
(answers, members, tag uses) and dates are set as they were.

Importing again changes nothing: people are matched by email, a thread
by its corpus id (``Conversation.import_key``) within the community, and
what already exists is skipped. Posts must follow their threads' order
(as the generator writes them): a post whose thread was in an earlier
batch stops the import with the line at fault.

The import bypasses the services' per-row checks for speed; it is an
operator's tool, not an interface for members.
"""

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify

from practica.accounts.models import User
from practica.communities.models import (
    Community,
    Membership,
    Policy,
    Role,
    Status,
    Visibility,
)
from practica.conversations.models import (
    Conversation,
    Kind,
    Reply,
    Revision,
    Tag,
)
from practica.core import text
from practica.core.models import Activity
from practica.transfer import markup
from practica.transfer.pool import Bodies, default_workers

BATCH = 500
# A corpus whose posts.jsonl has this many bytes (about 2,000 posts) has
# its bodies rendered in worker processes.
POOL_FROM = 1 << 20
# Values per lookup query (SQLite before 3.32 takes 999 parameters).
LOOKUP = 900
MAX_TITLE = 200
MAX_BODY = 30_000
IMPORT_MESSAGE = "Imported"

Progress = Callable[[str, int], None]


class CorpusError(ValueError):
    """The corpus is not in the expected format; says where."""


@dataclass
class ImportResult:
    community: Community
    community_created: bool = False
    users_created: int = 0
    users_existing: int = 0
    memberships_created: int = 0
    tags_created: int = 0
    conversations_created: int = 0
    conversations_skipped: int = 0
    replies_created: int = 0
    replies_skipped: int = 0
    revisions_created: int = 0
    activities_created: int = 0
    indexed: int = 0
    seconds: float = 0.0
    index_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """Rows written to the database (tag links not counted)."""
        return (
            int(self.community_created)
            + self.users_created
            + self.memberships_created
            + self.tags_created
            + self.conversations_created
            + self.replies_created
            + self.revisions_created
            + self.activities_created
        )

    @property
    def rows_per_second(self) -> float:
        load = self.seconds - self.index_seconds
        return self.rows / load if load > 0 else 0.0


# --- reading ---------------------------------------------------------------


def _lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-empty line of a JSONL file."""
    if not path.exists():
        raise CorpusError(f"{path} is missing.")
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise CorpusError(
                    f"{path.name}:{number}: not JSON ({exc})."
                ) from exc
            if not isinstance(row, dict):
                raise CorpusError(f"{path.name}:{number}: not an object.")
            yield number, row


def _get(row: dict[str, Any], key: str, kind: type, where: str) -> Any:
    value = row.get(key)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise CorpusError(
            f"{where}: '{key}' is missing or not a {kind.__name__}."
        )
    return value


def _when(row: dict[str, Any], key: str, where: str) -> datetime:
    raw = _get(row, key, str, where)
    try:
        value = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise CorpusError(
            f"{where}: '{key}' is not an ISO 8601 time: {raw!r}."
        ) from exc
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


def _line(raw: str, max_length: int) -> str:
    """One line of plain text as the services keep it, cut to fit."""
    return text.clean_line(
        raw[: max_length * 4],
        field="text",
        max_length=max_length * 4,
        required=False,
    )[:max_length].strip()


def _title(raw: str, where: str) -> str:
    title = _line(raw, MAX_TITLE)
    if not title:
        raise CorpusError(f"{where}: the title is empty.")
    return title


def _body(raw: str, where: str) -> str:
    try:
        return text.clean_markdown(
            raw, field="body", max_length=MAX_BODY, required=True
        )
    except ValidationError as exc:
        raise CorpusError(f"{where}: {' '.join(exc.messages)}") from exc


def count_lines(path: Path) -> int:
    """Non-empty lines of a file, read in blocks (for the progress bar)."""
    if not path.exists():
        return 0
    count = 0
    with path.open("rb") as handle:
        for line in handle:
            if line.strip():
                count += 1
    return count


def corpus_counts(directory: Path) -> dict[str, int]:
    """Users, threads and posts in a corpus: from meta.json when there,
    counted otherwise."""
    meta = directory / "meta.json"
    if meta.exists():
        data = json.loads(meta.read_text())
        if all(isinstance(data.get(k), int) for k in ("users", "threads")):
            return {
                "users": data["users"],
                "threads": data["threads"],
                "posts": int(data.get("posts", 0)),
            }
    return {
        name: count_lines(directory / f"{name}.jsonl")
        for name in ("users", "threads", "posts")
    }


# --- writing ---------------------------------------------------------------


@contextmanager
def dates_as_given(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let ``created_at``/``updated_at`` keep the corpus's dates.

    ``auto_now``/``auto_now_add`` fields overwrite whatever is given on
    insert; the import switches that off for its own inserts and back
    on afterwards (the command runs alone in its process).
    """
    saved = []
    for model_cls in model_classes:
        for f in model_cls._meta.concrete_fields:
            if isinstance(f, models.DateField) and (
                f.auto_now or f.auto_now_add
            ):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _sqlite_datetime(value: datetime) -> str:
    """What Django's SQLite backend stores for an aware time, without
    its per-value settings lookups (the import's times are UTC)."""
    if value.tzinfo is UTC:
        return str(value)[:-6]  # without its "+00:00"
    return str(connection.ops.adapt_datetimefield_value(value))


def stored_datetime(value: datetime) -> Any:
    """``value`` as :func:`insert_rows` stores it on this database, for
    a field passed in its ``stored``."""
    if connection.vendor != "sqlite":
        return value
    return _sqlite_datetime(value)


def _adapter(f: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a value of ``f`` goes to SQLite (None: as it is)."""
    if isinstance(f, models.DateTimeField):
        return _sqlite_datetime
    if isinstance(f, models.DateField):
        return connection.ops.adapt_datefield_value
    if isinstance(f, models.JSONField):
        return partial(f.get_db_prep_save, connection=connection)
    return None


def insert_rows(
    model: type[models.Model],
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    stored: Iterable[str] = (),
) -> list[int]:
    """Insert rows given as tuples of the fields ``names`` (attribute
    names: ``author_id``); the others take their defaults. Returns the
    new ids in the order of ``rows``. On SQLite, the fields named in
    ``stored`` hold their values as the database stores them already
    (dates as text, JSON as text: prepared in the import's workers), so
    nothing is converted here; elsewhere they are the Python values.

    The importers' fast path: no model instance per row. On SQLite one
    ``executemany`` writes them, with ids counted on from the largest
    (safe inside the import's transaction: SQLite's IMMEDIATE
    transactions hold the write lock from their start). Elsewhere it is
    ``bulk_create``, which returns the ids. Values are given as stored
    (no auto dates).
    """
    if not rows:
        return []
    meta = model._meta
    pk = meta.pk
    if pk is None:  # pragma: no cover (every table here has one)
        raise RuntimeError(f"{meta.label} has no primary key.")
    if connection.vendor != "sqlite":
        objs = [model(**dict(zip(names, row, strict=True))) for row in rows]
        model._default_manager.bulk_create(objs)
        return [int(o.pk) for o in objs]
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("insert_rows needs a transaction.")
    by_name = {f.attname: f for f in meta.concrete_fields}
    given = [by_name[n] for n in names]
    rest = [
        f
        for f in meta.concrete_fields
        if f is not pk and f.attname not in names
    ]
    constant: list[Any] = []
    for f in rest:
        value = f.get_default()
        adapt = _adapter(f)
        constant.append(
            value if adapt is None or value is None else adapt(value)
        )
    ready = set(stored)
    adapters = [
        (i, a)
        for i, f in enumerate(given)
        if f.attname not in ready and (a := _adapter(f))
    ]
    quote = connection.ops.quote_name
    table = quote(str(meta.db_table))
    columns = [pk, *given, *rest]
    with connection.cursor() as cursor:
        cursor.execute(
            # Names from the model's own meta, quoted: no input here.
            f"SELECT COALESCE(MAX({quote(str(pk.column))}), 0) FROM {table}"  # noqa: S608
        )
        start = int(cursor.fetchone()[0]) + 1
        ids = list(range(start, start + len(rows)))
        tail = tuple(constant)
        values = []
        for number, row in zip(ids, rows, strict=True):
            if adapters:
                row = list(row)
                for i, adapt in adapters:
                    if row[i] is not None:
                        row[i] = adapt(row[i])
            values.append((number, *row, *tail))
        cursor.executemany(
            f"INSERT INTO {table} "  # noqa: S608
            f"({', '.join(quote(str(f.column)) for f in columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})",
            values,
        )
    return ids


def fast_insert(objs: Sequence[models.Model]) -> None:
    """Insert model instances through :func:`insert_rows` (every
    concrete field as the instance holds it); they get their ``pk``."""
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    if connection.vendor != "sqlite":
        model._default_manager.bulk_create(objs)
        return
    names = [f.attname for f in meta.concrete_fields if f is not meta.pk]
    ids = insert_rows(
        model, names, [tuple(getattr(o, n) for n in names) for o in objs]
    )
    for obj, number in zip(objs, ids, strict=True):
        obj.pk = number
        obj._state.adding = False
        obj._state.db = connection.alias


def select_in(
    model: type[models.Model],
    columns: Sequence[str],
    where: str,
    params: Sequence[Any],
    column: str,
    values: Iterable[Any],
) -> list[tuple[Any, ...]]:
    """``SELECT columns FROM model's table WHERE where AND column IN
    values``, a few hundred values per query: the importers' lookups by
    batch, without the ORM's per-value preparation (which cost more
    than the query). ``where`` is SQL with %s for ``params``."""
    wanted = list(dict.fromkeys(values))
    if not wanted:
        return []
    quote = connection.ops.quote_name
    head = (
        f"SELECT {', '.join(quote(c) for c in columns)} "  # noqa: S608
        f"FROM {quote(model._meta.db_table)} WHERE {where} AND "
        f"{quote(column)} IN "
    )
    found: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(wanted), LOOKUP):
            chunk = wanted[start : start + LOOKUP]
            cursor.execute(
                # Names from the caller's code; values are bound.
                head + f"({', '.join(['%s'] * len(chunk))})",
                [*params, *chunk],
            )
            found.extend(cursor.fetchall())
    return found


def update_rows(
    model: type[models.Model], name: str, pairs: Sequence[tuple[int, Any]]
) -> None:
    """Set one field (attribute name, a plain value) on many rows:
    ``pairs`` of (id, value), one ``executemany`` (Django's bulk_update
    builds a CASE of every row instead)."""
    if not pairs:
        return
    meta = model._meta
    field = meta.get_field(name.removesuffix("_id"))
    if not isinstance(field, models.Field):  # pragma: no cover
        raise TypeError(f"{name} is not a column of {meta.label}.")
    quote = connection.ops.quote_name
    pk = meta.pk
    if pk is None:  # pragma: no cover (every table here has one)
        raise RuntimeError(f"{meta.label} has no primary key.")
    with connection.cursor() as cursor:
        cursor.executemany(
            # Names from the model's own meta, quoted: no input here.
            f"UPDATE {quote(str(meta.db_table))} "  # noqa: S608
            f"SET {quote(str(field.column))} = %s "
            f"WHERE {quote(str(pk.column))} = %s",
            [(value, row) for row, value in pairs],
        )


# SQLite settings for a bulk load: a larger page cache (the indexes of
# the tables being filled stay in memory), checkpoints of the
# write-ahead log at the end rather than every 4 MB, and temporary
# structures (sorts for the indexes built after the load, the closing
# UPDATEs') in files rather than in memory, which otherwise grew with
# the dump (a 40x Stack Exchange dump: 487 -> 400 MB at its peak).
BULK_PRAGMAS = {
    "cache_size": -131072,
    "wal_autocheckpoint": 100_000,
    "temp_store": 1,
}


@contextmanager
def bulk_load() -> Iterator[None]:
    """Apply ``BULK_PRAGMAS`` on SQLite for the import, then restore
    the connection's own values and checkpoint the log. Does nothing
    inside a transaction (the tests') or on other databases."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    saved: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for name, value in BULK_PRAGMAS.items():
            cursor.execute(f"PRAGMA {name}")
            saved[name] = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA {name} = {int(value)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, value in saved.items():
                cursor.execute(f"PRAGMA {name} = {int(value)}")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _secondary_indexes(
    model_classes: Sequence[type[models.Model]],
) -> dict[str, str]:
    """name → CREATE INDEX of the models' non-unique indexes, as the
    migrations made them (Django builds the same statements)."""
    found: dict[str, str] = {}
    # Not entered: entering would switch SQLite's foreign keys off, and
    # building statements needs none of that.
    editor = connection.schema_editor(collect_sql=True)
    for model_cls in model_classes:
        # What migrate runs for these indexes (not in django-stubs).
        for statement in editor._model_indexes_sql(model_cls):  # type: ignore[attr-defined]
            sql = str(statement)
            found[sql.split('"')[1]] = sql
    return found


def _present_indexes(names: Iterable[str]) -> set[str]:
    wanted = list(names)
    if not wanted:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            # Only placeholders go into the text; the names are bound.
            "SELECT name FROM sqlite_master WHERE type = 'index' AND "  # noqa: S608
            f"name IN ({', '.join(['%s'] * len(wanted))})",
            wanted,
        )
        return {name for (name,) in cursor.fetchall()}


def ensure_indexes(*model_classes: type[models.Model]) -> int:
    """Create the models' non-unique indexes that are missing (a load
    that :func:`indexes_after` began was killed before it rebuilt
    them); how many. Does nothing off SQLite."""
    if connection.vendor != "sqlite":
        return 0
    wanted = _secondary_indexes(model_classes)
    present = _present_indexes(wanted)
    missing = [sql for name, sql in wanted.items() if name not in present]
    with connection.cursor() as cursor:
        for sql in missing:
            cursor.execute(sql)
    return len(missing)


@contextmanager
def indexes_after(
    *model_classes: type[models.Model], when: bool = True
) -> Iterator[None]:
    """Drop the models' non-unique indexes for a bulk load into them and
    build them again afterwards, whatever happens (SQLite builds an
    index over the rows at once faster than it keeps it up to date row
    by row). Unique indexes stay: they keep the import keys and the
    constraints checked. A process killed in between leaves the
    database working without these indexes (the pages get slower);
    :func:`ensure_indexes`, which every import runs first, makes them
    again. Does nothing unless ``when``, off SQLite or inside a
    transaction (the tests')."""
    if not when or connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    names = list(_secondary_indexes(model_classes))
    quote = connection.ops.quote_name
    try:
        with connection.cursor() as cursor:
            for name in _present_indexes(names):
                cursor.execute(f"DROP INDEX {quote(name)}")
        yield
    finally:
        ensure_indexes(*model_classes)


def ensure_community(
    slug: str, name: str = "", tagline: str = ""
) -> tuple[Community, bool]:
    """The community with this slug, created public and open when
    missing; refuses an empty slug. Shared with practica.transfer."""
    slug = slugify(slug)
    if not slug:
        raise CorpusError("--community needs a slug such as 'platform'.")
    found = Community.objects.filter(slug=slug).first()
    if found is not None:
        return found, False
    community = Community.objects.create(
        slug=slug,
        name=name or slug.replace("-", " ").title(),
        tagline=tagline or "Questions and answers imported from a corpus.",
        visibility=Visibility.PUBLIC,
        policy=Policy.OPEN,
    )
    return community, True


def _import_users(
    directory: Path,
    community: Community,
    result: ImportResult,
    batch_size: int,
    progress: Progress,
) -> dict[int, int]:
    """Accounts by corpus user id; creates people and memberships."""
    people: dict[int, int] = {}
    pending: list[tuple[int, User]] = []

    def flush() -> None:
        if not pending:
            return
        emails = [u.email for _, u in pending]
        known = dict(
            User.objects.filter(email__in=emails).values_list("email", "pk")
        )
        fresh = [u for _, u in pending if u.email not in known]
        with transaction.atomic():
            fast_insert(fresh)
            for u in fresh:
                known[u.email] = u.pk
            ids = {cid: known[u.email] for cid, u in pending}
            member = set(
                Membership.objects.filter(
                    community=community, user_id__in=ids.values()
                ).values_list("user_id", flat=True)
            )
            joined = {known[u.email]: u.date_joined for _, u in pending}
            rows = [
                Membership(
                    user_id=pk,
                    community=community,
                    role=Role.MEMBER,
                    status=Status.ACTIVE,
                    joined_at=joined[pk],
                    created_at=joined[pk],
                    updated_at=joined[pk],
                )
                for pk in dict.fromkeys(ids.values())
                if pk not in member
            ]
            fast_insert(rows)
        people.update(ids)
        result.users_created += len(fresh)
        result.users_existing += len(pending) - len(fresh)
        result.memberships_created += len(rows)
        progress("users", len(pending))
        pending.clear()

    # One unusable password for all: make_password(None) costs a random
    # string per call and none of them can sign in anyway.
    unusable = make_password(None)
    seen: set[str] = set()
    for number, row in _lines(directory / "users.jsonl"):
        where = f"users.jsonl:{number}"
        cid = _get(row, "id", int, where)
        email = User.objects.normalize_email(
            _get(row, "email", str, where).strip()
        ).lower()
        if "@" not in email:
            raise CorpusError(f"{where}: '{email}' is not an email address.")
        if email in seen:
            raise CorpusError(f"{where}: {email} appears twice.")
        seen.add(email)
        display = _line(
            str(row.get("display_name") or row.get("username") or ""), 100
        )
        pending.append(
            (
                cid,
                User(
                    email=email,
                    display_name=display or email.split("@")[0][:100],
                    password=unusable,
                    date_joined=_when(row, "joined", where),
                ),
            )
        )
        if len(pending) >= batch_size:
            flush()
    flush()
    return people


@dataclass
class _Thread:
    key: str
    number: int
    row: dict[str, Any]
    posts: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


class _Posts:
    """posts.jsonl, read alongside the threads they belong to.

    Holds one post of look-ahead; thread ids rise through threads.jsonl,
    so a post naming a higher id than any thread read so far belongs to
    a later batch.
    """

    def __init__(self, path: Path) -> None:
        self._rows = _lines(path) if path.exists() else iter(())
        self._next: tuple[int, dict[str, Any]] | None = None
        self.orphans = 0

    def _peek(self) -> tuple[int, dict[str, Any]] | None:
        if self._next is None:
            self._next = next(self._rows, None)
        return self._next

    def take(self, batch: dict[int, _Thread], highest: int) -> None:
        """Attach the posts of the threads in ``batch`` (the threads read
        last; ``highest`` is the largest thread id read so far)."""
        lowest = min(batch)
        while (item := self._peek()) is not None:
            number, row = item
            thread_id = _get(row, "thread_id", int, f"posts.jsonl:{number}")
            if thread_id > highest:
                return  # a later batch's
            if thread_id < lowest:
                raise CorpusError(
                    f"posts.jsonl:{number}: a post of thread {thread_id} "
                    "after the posts of later threads; posts.jsonl must "
                    "list posts in the order of their threads."
                )
            if thread_id in batch:
                batch[thread_id].posts.append(item)
            else:
                self.orphans += 1
            self._next = None

    def rest(self) -> None:
        """Count what is left: posts of threads that do not exist."""
        while self._peek() is not None:
            self.orphans += 1
            self._next = None


def digest(author_id: int | None, body: str) -> str:
    """A reply's fingerprint, as ``services.reply_create`` keeps it."""
    # The same fingerprint services.reply_create keeps for double submits.
    return hashlib.sha256(f"{author_id}:{body}".encode()).hexdigest()


class _Writer:
    def __init__(
        self,
        community: Community,
        people: dict[int, int],
        result: ImportResult,
    ) -> None:
        self.community = community
        self.people = people
        self.result = result
        self.tags: dict[str, int] = dict(
            Tag.objects.filter(community=community).values_list("slug", "pk")
        )
        self.conversation_type = ContentType.objects.get_for_model(
            Conversation
        )

    def _person(self, row: dict[str, Any], where: str) -> int:
        cid = _get(row, "author_id", int, where)
        pk = self.people.get(cid)
        if pk is None:
            raise CorpusError(f"{where}: author_id {cid} is not in users.")
        return pk

    def _tag_ids(self, names: list[str], where: str) -> list[tuple[int, str]]:
        found: list[tuple[int, str]] = []
        missing: list[Tag] = []
        wanted: dict[str, str] = {}
        for raw in names:
            if not isinstance(raw, str):
                raise CorpusError(f"{where}: tags must be strings.")
            name = _line(raw, 40)
            slug = slugify(name)[:40]
            if slug:
                wanted.setdefault(slug, name)
        for slug, name in wanted.items():
            if slug not in self.tags:
                missing.append(
                    Tag(community=self.community, name=name, slug=slug)
                )
        if missing:
            Tag.objects.bulk_create(missing)
            for t in missing:
                self.tags[t.slug] = t.pk
            self.result.tags_created += len(missing)
        for slug, name in wanted.items():
            found.append((self.tags[slug], name))
        return found

    def new(self, batch: dict[int, _Thread]) -> list[_Thread]:
        """The threads of ``batch`` not imported yet (the others are
        counted as skipped)."""
        keys = [t.key for t in batch.values()]
        existing = set(
            Conversation.objects.filter(
                community=self.community, import_key__in=keys
            ).values_list("import_key", flat=True)
        )
        todo = [t for t in batch.values() if t.key not in existing]
        self.result.conversations_skipped += len(batch) - len(todo)
        self.result.replies_skipped += sum(
            len(t.posts) for t in batch.values() if t.key in existing
        )
        return todo

    @staticmethod
    def bodies(todo: list[_Thread]) -> list[str]:
        """Each thread's body then its posts', cleaned (refusing an
        empty or overlong one, naming the line): what is rendered."""
        out: list[str] = []
        for t in todo:
            where = f"threads.jsonl:{t.number}"
            out.append(_body(_get(t.row, "body", str, where), where))
            for number, post in t.posts:
                pwhere = f"posts.jsonl:{number}"
                out.append(_body(_get(post, "body", str, pwhere), pwhere))
        return out

    def write(self, todo: list[_Thread], html: list[str]) -> None:
        """Write the threads with their bodies rendered (``html``, in the
        order of :meth:`bodies`)."""
        if todo:
            with transaction.atomic():
                self._write(todo, iter(html))

    def _write(self, todo: list[_Thread], html: Iterator[str]) -> None:
        conversations: list[Conversation] = []
        tag_links: list[list[int]] = []
        answers: list[list[Reply]] = []
        for t in todo:
            where = f"threads.jsonl:{t.number}"
            row = t.row
            created = _when(row, "created", where)
            body = _body(_get(row, "body", str, where), where)
            tags = row.get("tags") or []
            if not isinstance(tags, list):
                raise CorpusError(f"{where}: 'tags' is not a list.")
            tagged = self._tag_ids(tags, where)
            body_html = next(html)
            replies = []
            for number, post in t.posts:
                pwhere = f"posts.jsonl:{number}"
                pbody = _body(_get(post, "body", str, pwhere), pwhere)
                when = _when(post, "created", pwhere)
                author = self._person(post, pwhere)
                replies.append(
                    Reply(
                        author_id=author,
                        body=pbody,
                        body_html=next(html),
                        from_practice=True,  # members, above newcomer
                        digest=digest(author, pbody),
                        created_at=when,
                        updated_at=when,
                    )
                )
            last = max([created] + [r.created_at for r in replies])
            conversations.append(
                Conversation(
                    community=self.community,
                    kind=Kind.QUESTION,
                    author_id=self._person(row, where),
                    title=_title(_get(row, "title", str, where), where),
                    body=body,
                    body_html=body_html,
                    tag_names=[name for _, name in tagged],
                    reply_count=len(replies),
                    last_activity_at=last,
                    created_at=created,
                    updated_at=last,
                    import_key=t.key,
                )
            )
            tag_links.append([pk for pk, _ in tagged])
            answers.append(replies)
        fast_insert(conversations)
        tag_rows = [
            (c.pk, tag)
            for c, tags in zip(conversations, tag_links, strict=True)
            for tag in tags
        ]
        insert_rows(
            Conversation.tags.through,
            ("conversation_id", "tag_id"),
            tag_rows,
        )
        flat: list[Reply] = []
        for c, replies in zip(conversations, answers, strict=True):
            for r in replies:
                r.conversation = c
            flat.extend(replies)
        fast_insert(flat)
        revisions = [
            Revision(
                conversation=c,
                number=1,
                author_id=c.author_id,
                title=c.title,
                body=c.body,
                message=IMPORT_MESSAGE,
                created_at=c.created_at,
            )
            for c in conversations
        ] + [
            Revision(
                conversation_id=r.conversation_id,
                reply=r,
                number=1,
                author_id=r.author_id,
                title="",
                body=r.body,
                message=IMPORT_MESSAGE,
                created_at=r.created_at,
            )
            for r in flat
        ]
        fast_insert(revisions)
        # One entry per question: the record says what happened (and
        # when), and the search indexer reads it like any other.
        fast_insert(
            [
                Activity(
                    actor_id=c.author_id,
                    verb=f"{c.kind}.created",
                    target_type=self.conversation_type,
                    target_id=c.pk,
                    community_id=self.community.pk,
                    summary=c.title[:300],
                    data={"imported": c.import_key, "replies": c.reply_count},
                    created_at=c.created_at,
                )
                for c in conversations
            ]
        )
        self.result.conversations_created += len(conversations)
        self.result.replies_created += len(flat)
        self.result.revisions_created += len(revisions)
        self.result.activities_created += len(conversations)


def _import_threads(
    directory: Path,
    community: Community,
    people: dict[int, int],
    result: ImportResult,
    batch_size: int,
    progress: Progress,
    pool: Bodies,
) -> None:
    writer = _Writer(community, people, result)
    posts = _Posts(directory / "posts.jsonl")

    def batches() -> Iterator[tuple[int, list[_Thread]]]:
        """(threads read, the new ones with their posts) per batch."""
        batch: dict[int, _Thread] = {}
        highest = 0
        for number, row in _lines(directory / "threads.jsonl"):
            where = f"threads.jsonl:{number}"
            tid = _get(row, "id", int, where)
            if tid <= highest:
                # Posts are matched to threads as both files stream by.
                raise CorpusError(
                    f"{where}: thread ids must rise through the file; "
                    f"{tid} comes after {highest}."
                )
            highest = tid
            batch[tid] = _Thread(key=str(tid), number=number, row=row)
            if len(batch) >= batch_size:
                posts.take(batch, highest)
                yield len(batch), writer.new(batch)
                batch = {}
        if batch:
            posts.take(batch, highest)
            yield len(batch), writer.new(batch)

    # Bodies are rendered in the pool's workers while the batches before
    # them are written.
    for (read, todo), html in pool.pipeline(
        markup.render_many, batches(), lambda item: writer.bodies(item[1])
    ):
        writer.write(todo, html)
        progress("threads", read)
    posts.rest()
    if posts.orphans:
        result.notes.append(
            f"{posts.orphans} posts name a thread that is not in "
            "threads.jsonl; they were skipped."
        )


def per_row(
    model: type[models.Model],
    link: str,
    aggregate: Any = None,
    **where: Any,
) -> Coalesce:
    """For an UPDATE of the rows that ``model``'s ``link`` points to: the
    ``aggregate`` (a count by default) of the ``model`` rows pointing at
    each (filtered by ``where``), 0 where there are none. How the
    importers set denormalised counters in one statement."""
    return Coalesce(
        Subquery(
            model._default_manager.filter(**{link: OuterRef("pk")}, **where)
            .values(link)
            .annotate(n=aggregate or Count("pk"))
            .values("n")
        ),
        0,
    )


def recount(community: Community) -> None:
    """Counters the pages show (tag uses, members), from the rows
    themselves; bumps the community's version."""
    through = Conversation.tags.through
    uses = dict(
        through.objects.filter(tag__community=community)
        .values_list("tag_id")
        .annotate(Count("id"))
    )
    tags = list(Tag.objects.filter(community=community))
    for tag in tags:
        tag.use_count = uses.get(tag.pk, 0)
    Tag.objects.bulk_update(tags, ["use_count"], batch_size=500)
    Community.objects.filter(pk=community.pk).update(
        member_count=per_row(Membership, "community_id", status=Status.ACTIVE),
        version=F("version") + 1,
    )
    community.refresh_from_db()


def import_corpus(
    directory: Path | str,
    *,
    community: str,
    name: str = "",
    tagline: str = "",
    batch_size: int = BATCH,
    index: bool = True,
    progress: Progress | None = None,
    workers: int | None = None,
) -> ImportResult:
    """Import the corpus in ``directory`` into the community ``community``
    (a slug; created public and open when missing). Safe to run again.
    ``workers`` processes render the bodies (default: two unless the
    corpus is small).

    Refuses a missing file, a malformed line, an author who is not in
    users.jsonl and posts out of their threads' order, naming the file and
    line. ``index`` rebuilds the search index afterwards (the fast path;
    the activity entries would let the indexer catch up otherwise).
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise CorpusError(f"{directory} is not a directory.")
    step = progress or (lambda _phase, _n: None)
    started = time.perf_counter()
    if workers is None:
        workers = default_workers(directory / "posts.jsonl", POOL_FROM)
    with (
        bulk_load(),
        dates_as_given(Membership, Conversation, Reply, Revision, Activity),
        Bodies(workers) as pool,
    ):
        target, created = ensure_community(community, name, tagline)
        result = ImportResult(community=target, community_created=created)
        people = _import_users(directory, target, result, batch_size, step)
        _import_threads(
            directory, target, people, result, batch_size, step, pool
        )
    if result.rows:
        recount(target)
    if index and (result.rows or _index_missing()):
        from practica.search import indexer

        begun = time.perf_counter()
        result.indexed = indexer.rebuild(lambda n: step("index", n))
        result.index_seconds = time.perf_counter() - begun
    result.seconds = time.perf_counter() - started
    return result


def _index_missing() -> bool:
    from practica.search import indexer

    return not indexer.built()


def check_counters(community: Community) -> list[str]:
    """What disagrees between the counters and the rows (empty: all
    right); for tests and for the bench's sanity check."""
    wrong: list[str] = []
    bad = (
        Conversation.objects.filter(community=community)
        .annotate(n=Count("replies"))
        .exclude(reply_count=F("n"))
        .count()
    )
    if bad:
        wrong.append(f"{bad} conversations with a wrong reply_count")
    members = Membership.objects.filter(
        community=community, status=Status.ACTIVE
    ).count()
    community.refresh_from_db(fields=["member_count"])
    if community.member_count != members:
        wrong.append(
            f"member_count {community.member_count} but {members} members"
        )
    through = Conversation.tags.through
    for tag in Tag.objects.filter(community=community):
        n = through.objects.filter(tag=tag).count()
        if n != tag.use_count:
            wrong.append(f"tag {tag.slug}: use_count {tag.use_count} != {n}")
    return wrong
