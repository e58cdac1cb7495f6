"""Cached page fragments and buffered counters for the hot pages.

**Fragments.** The shared part of a hot page (a question with its
answers, a row of a list, a community's front) is rendered once per
version of what it shows and kept in Django's cache (Redis in
production, local memory otherwise). A key names everything the HTML
depends on: the objects' ``version`` (bumped by the services on every
write), their creation time (so a restored database or a test that
reuses primary keys never meets an old entry), the viewer's time zone,
the role class of the viewer where the HTML depends on it (never the
viewer), and a digest of the templates' source (a deploy with new
templates never serves old HTML). Relative times ("3 hours ago") decide
how long an entry lives: :func:`fresh_for` returns the seconds until the
oldest such text would read differently, capped at :data:`MAX_AGE`, which
also bounds how long a renamed person's old name can show.

A signed-out visitor's hot pages are cached whole, layout included
(``practica.web.pages.visitor_page``), and what tells whether they are
current is read with queries compiled once per process
(``practica.core.sql``): a hit renders no template and builds no
queryset.

**Counters.** A page view must not write to the database (on SQLite a
write takes the one write lock). :func:`count` buffers ``+1`` per row:
with Redis in a hash that the worker's periodic task drains
(``core.tasks.flush_counts``); without Redis in the process's
memory, which the process writes itself at most once per
:data:`FLUSH_SECONDS` (in the first request after that, outside any
transaction, and when it exits), since no other process can see it.
:func:`pending` tells a page what is counted but not yet written.
"""

import atexit
import hashlib
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from datetime import UTC, datetime, timedelta
from functools import cache as memo
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Model, Q
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

log = logging.getLogger(__name__)

MAX_AGE = 600  # seconds: the longest a fragment lives
FLUSH_SECONDS = 30  # without Redis: how often a process writes its counts
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# --- fragments -------------------------------------------------------------


@memo
def template_digest(*names: str) -> str:
    """A short digest of the named templates' source, once per process."""
    h = hashlib.blake2b(digest_size=6)
    for name in names:
        source = getattr(get_template(name), "template", None)
        h.update(getattr(source, "source", name).encode())
    return h.hexdigest()


def stamp(moment: datetime | None) -> int:
    """A datetime as integer microseconds since 1970 (0 for None)."""
    if moment is None:
        return 0
    return (moment - EPOCH) // timedelta(microseconds=1)


def keyer(name: str, *, templates: Sequence[str] = ()) -> Callable[..., str]:
    """A function of the parts that gives a fragment's cache key: ``name``,
    the parts, the active time zone and the templates' digest (the last
    two looked up once, for a page's many rows)."""
    context = repr(
        (
            timezone.get_current_timezone_name(),
            template_digest(*templates) if templates else "",
        )
    )

    def make(*parts: Hashable) -> str:
        raw = f"{parts!r}{context}".encode()
        return (
            f"frag:{name}:{hashlib.blake2b(raw, digest_size=16).hexdigest()}"
        )

    return make


def key(name: str, *parts: Hashable, templates: Sequence[str] = ()) -> str:
    """The cache key of one fragment (see :func:`keyer`)."""
    return keyer(name, templates=templates)(*parts)


# Relative times read differently after these many seconds, by age:
# naturaltime shows seconds, then minutes, then hours under a day; then
# two units (days+hours, weeks+days, months+weeks, years+months).
_MINUTE, _HOUR, _DAY = 60, 3600, 86400


def fresh_for(*moments: datetime | None, now: datetime | None = None) -> int:
    """Seconds until a relative time of any of ``moments`` changes its
    wording (at least 1, at most MAX_AGE)."""
    now = now or timezone.now()
    ttl = MAX_AGE
    for moment in moments:
        if moment is None:
            continue
        age = int((now - moment).total_seconds())
        if age < _MINUTE:
            return 1
        if age < _HOUR:
            left = _MINUTE - age % _MINUTE  # "5 minutes"
        elif age < 7 * _DAY:
            left = _HOUR - age % _HOUR  # "5 hours", "2 days, 3 hours"
        elif age < 28 * _DAY:
            left = _DAY - age % _DAY  # "2 weeks, 3 days"
        else:
            left = MAX_AGE  # months and years count calendar units
        ttl = min(ttl, left)
    return max(1, ttl)


def fragment(
    cache_key: str, render: Callable[[], tuple[str, int]]
) -> SafeString:
    """The cached HTML under ``cache_key``, or ``render()``'s (HTML, time
    to live) stored and returned."""
    html = cache.get(cache_key)
    if html is None:
        html, ttl = render()
        cache.set(cache_key, html, ttl)
    return mark_safe(html)  # noqa: S308 (rendered by our templates)


def fragments[T](
    items: Sequence[T],
    key_of: Callable[[T], str],
    render: Callable[[list[T]], list[tuple[str, int]]],
) -> list[SafeString]:
    """The HTML of each item, from the cache in one round trip; the
    missing ones rendered together by ``render`` (HTML, time to live for
    each) and stored."""
    keys = [key_of(item) for item in items]
    found = cache.get_many(keys)
    missing = [i for i, k in enumerate(keys) if k not in found]
    if missing:
        rendered = render([items[i] for i in missing])
        for i, (html, ttl) in zip(missing, rendered, strict=True):
            found[keys[i]] = html
            cache.set(keys[i], html, ttl)
    return [mark_safe(found[k]) for k in keys]  # noqa: S308


# --- counters ----------------------------------------------------------------

# What may be counted: (model label, field). The worker drains these.
COUNTED = (
    ("conversations.conversation", "view_count"),
    ("repertoire.artifact", "view_count"),
)
Counts = dict[tuple[int, int], int]  # (pk, created stamp) -> increment


def _redis() -> Any | None:
    """The raw Redis client when the cache is Redis, else None."""
    backend = getattr(cache, "_cache", None)
    get_client = getattr(backend, "get_client", None)
    if get_client is None or "redis" not in type(cache).__module__:
        return None
    return get_client(write=True)


def _hash_name(label: str, field: str) -> str:
    return cache.make_key(f"counts:{label}:{field}")


class _Local:
    """Counts held in this process until it writes them itself."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: dict[tuple[str, str], Counts] = defaultdict(
            lambda: defaultdict(int)
        )
        self.flushed = time.monotonic()

    def add(self, what: tuple[str, str], row: tuple[int, int]) -> bool:
        with self.lock:
            self.counts[what][row] += 1
            return time.monotonic() - self.flushed >= FLUSH_SECONDS

    def pending(self, what: tuple[str, str], row: tuple[int, int]) -> int:
        return self.counts.get(what, {}).get(row, 0)

    def drain(self, what: tuple[str, str]) -> Counts:
        with self.lock:
            self.flushed = time.monotonic()
            return dict(self.counts.pop(what, {}))

    def give_back(self, what: tuple[str, str], counts: Counts) -> None:
        with self.lock:
            for row, n in counts.items():
                self.counts[what][row] += n


_local = _Local()


def _row(obj: Model) -> tuple[int, int]:
    return (int(obj.pk), stamp(getattr(obj, "created_at", None)))


def _what(obj: Model, field: str) -> tuple[str, str]:
    what = (obj._meta.label_lower, field)
    if what not in COUNTED:
        raise ValueError(f"{what} is not a counted field (see COUNTED).")
    return what


def count(obj: Model, field: str = "view_count") -> None:
    """Add one to ``obj.field`` later, without writing now."""
    what, row = _what(obj, field), _row(obj)
    client = _redis()
    if client is not None:
        client.hincrby(_hash_name(*what), f"{row[0]}:{row[1]}", 1)
        return
    # Due: write this process's counts now, but never inside a caller's
    # transaction (its rollback would lose them; tests run in one).
    if (
        _local.add(what, row)
        and not transaction.get_connection().in_atomic_block
    ):
        flush_counts(redis=False)


def pending(obj: Model, field: str = "view_count") -> int:
    """Counted for ``obj.field`` but not yet written."""
    what, row = _what(obj, field), _row(obj)
    client = _redis()
    if client is not None:
        value = client.hget(_hash_name(*what), f"{row[0]}:{row[1]}")
        return int(value or 0)
    return _local.pending(what, row)


def _drain_redis(client: Any, what: tuple[str, str]) -> Counts:
    name = _hash_name(*what)
    pipe = client.pipeline(transaction=True)
    pipe.hgetall(name)
    pipe.delete(name)
    raw, _ = pipe.execute()
    counts: Counts = {}
    for field, value in raw.items():
        pk, _, created = field.decode().partition(":")
        counts[(int(pk), int(created or 0))] = int(value)
    return counts


def _write(label: str, field: str, counts: Counts) -> int:
    """Add the counts to their rows, one UPDATE per distinct increment; a
    count only lands on the row it was taken for (same id and creation
    time), never on a row that reused the id."""
    model = apps.get_model(label)
    by_n: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for row, n in counts.items():
        by_n[n].append(row)
    written = 0
    with transaction.atomic():
        for n, rows in by_n.items():
            match = Q()
            for pk, created in rows:
                one = Q(pk=pk)
                if created and hasattr(model, "created_at"):
                    one &= Q(
                        created_at=EPOCH + timedelta(microseconds=created)
                    )
                match |= one
            written += model.objects.filter(match).update(
                **{field: F(field) + n}
            )
    return written


def flush_counts(*, redis: bool | None = None) -> int:
    """Write every buffered count to the database; returns the rows
    updated. A failed write keeps its counts for the next flush."""
    client = _redis() if redis is not False else None
    written = 0
    for what in COUNTED:
        counts = _drain_redis(client, what) if client else _local.drain(what)
        if not counts:
            continue
        try:
            written += _write(*what, counts)
        except Exception:
            log.exception("Could not write the counts of %s; kept.", what)
            if client:
                name = _hash_name(*what)
                for (pk, created), n in counts.items():
                    client.hincrby(name, f"{pk}:{created}", n)
            else:
                _local.give_back(what, counts)
    return written


def forget_counts() -> None:
    """Drop this process's unwritten counts (tests)."""
    for what in COUNTED:
        _local.drain(what)


@atexit.register
def _flush_at_exit() -> None:  # pragma: no cover - runs at interpreter exit
    if not any(_local.counts.values()) or not settings.configured:
        return
    try:
        for what in COUNTED:
            counts = _local.drain(what)
            if counts:
                _write(*what, counts)
    except Exception:  # noqa: S110
        # At exit there is nowhere left to report to (the log streams may
        # be closed, a test database gone); a few views are lost.
        pass
