"""Posts.xml rows made ready to write, in the import's worker processes.

Everything the load does to a post that needs nothing from the database
happens here: the XML parse of a range of the file (cut at rows by the
check, :class:`~practica.transfer.xmlrows.Splits`), numbers and dates,
the title's cleaning, the tags' names and slugs, the body's conversion
(:func:`markup.convert_bodies`) and, on SQLite, dates and JSON in the
form they are stored in. The main process then only looks up people,
parents and import keys and inserts the rows (``stackexchange``).

No Django models here (the workers do not set Django up).
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

from django.utils.text import slugify

from practica.core import text
from practica.transfer import markup
from practica.transfer.se_files import ANSWER, QUESTION, TAG_EXCERPT
from practica.transfer.xmlrows import (
    maybe_moment,
    maybe_number,
    moment,
)

Rows = list[tuple[str, dict[str, str]]]


class Question(NamedTuple):
    where: str
    id: str
    owner: str
    title: str  # empty: the load refuses the row
    body: str  # converted, or the source HTML when ``Options.convert`` is off
    html: str
    tags: list[tuple[str, str]]  # (name, slug), slug never empty
    tag_names: Any  # the names, as stored (JSON text on SQLite)
    reason: str  # why it is closed; empty when open
    score: int
    views: int
    last_activity: Any  # dates as stored
    edited: Any
    created: Any
    updated: Any
    key: str  # Conversation.import_key
    accepted: str  # AcceptedAnswerId, or ""
    activity: Any  # the activity entry's data, as stored


class Answer(NamedTuple):
    where: str
    id: str
    owner: str
    parent: str
    body: str
    html: str
    score: int
    edited: Any
    created: Any
    updated: Any


class Other(NamedTuple):
    """A tag wiki or another kind of post (not imported)."""

    where: str
    id: str
    kind: str
    excerpt: str  # a tag wiki excerpt's words (type 4), else ""


Post = Question | Answer | Other


@dataclass(frozen=True)
class Options:
    site: str
    sqlite: bool  # dates and JSON as SQLite stores them
    convert: bool  # convert the bodies here (off when resuming)
    rerender: bool = False


def line(raw: str, max_length: int) -> str:
    """One line of plain text cut to ``max_length``."""
    value = text.clean_line(
        raw[: max_length * 4],
        field="text",
        max_length=max_length * 4,
        required=False,
    )
    return value[:max_length].strip()


def tag_names(raw: str) -> list[str]:
    """``<bug><discussion>`` (older dumps) or ``|bug|discussion|``."""
    raw = raw.strip()
    if not raw:
        return []
    if raw.startswith("<"):
        parts = raw[1:-1].split("><")
    else:
        parts = raw.strip("|").split("|")
    return [p for p in dict.fromkeys(p.strip() for p in parts) if p]


def sqlite_stamp(value: datetime) -> str:
    """An aware time as Django's SQLite backend stores it (UTC, no
    zone): what ``importer.insert_rows`` would write."""
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return str(value)[:-6]


def _same(value: Any) -> Any:
    return value


def stamper(options: Options) -> Callable[[datetime], Any]:
    """Times as the database stores them (text on SQLite)."""
    return sqlite_stamp if options.sqlite else _same


def prepare(rows: Rows, options: Options) -> list[Post]:
    """Each row of Posts.xml ready to write (see the module's doc)."""
    stamp = stamper(options)
    stored: Callable[[Any], Any] = json.dumps if options.sqlite else _same
    names: dict[str, tuple[str, str]] = {}
    out: list[Post] = []
    for where, a in rows:
        kind = a.get("PostTypeId")
        if kind not in ("1", "2"):
            excerpt = ""
            if kind == str(TAG_EXCERPT):
                excerpt = markup.plain(a.get("Body", ""))[:300]
            out.append(Other(where, a["Id"], kind or "", excerpt))
            continue
        created = moment(a, "CreationDate", where)
        edited = maybe_moment(a, "LastEditDate", where)
        score = maybe_number(a, "Score", where) or 0
        body = a.get("Body", "")
        if int(kind) == ANSWER:
            out.append(
                Answer(
                    where,
                    a["Id"],
                    a.get("OwnerUserId", ""),
                    a["ParentId"],
                    body,
                    "",
                    score,
                    None if edited is None else stamp(edited),
                    stamp(created),
                    stamp(edited or created),
                )
            )
            continue
        assert int(kind) == QUESTION  # noqa: S101 (the check above)
        last = maybe_moment(a, "LastActivityDate", where)
        closed = maybe_moment(a, "ClosedDate", where)
        tags: list[tuple[str, str]] = []
        for raw in tag_names(a.get("Tags", "")):
            known = names.get(raw)
            if known is None:
                name = line(raw, 40)
                known = names[raw] = (name, slugify(name)[:40])
            if known[1]:
                tags.append(known)
        key = f"se:{options.site}:{a['Id']}"[:64]
        out.append(
            Question(
                where,
                a["Id"],
                a.get("OwnerUserId", ""),
                line(a.get("Title", ""), 200),
                body,
                "",
                tags,
                stored([name for name, _ in tags]),
                (
                    f"Closed on Stack Exchange on {closed:%Y-%m-%d}."
                    if closed
                    else ""
                ),
                score,
                max(0, maybe_number(a, "ViewCount", where) or 0),
                stamp(max(created, last or created)),
                None if edited is None else stamp(edited),
                stamp(created),
                stamp(edited or created),
                key,
                a.get("AcceptedAnswerId", ""),
                stored({"imported": key}),
            )
        )
    if options.convert:
        out = with_bodies(
            out,
            markup.convert_bodies(
                [p.body if not isinstance(p, Other) else "" for p in out],
                rerender=options.rerender,
            ),
        )
    return out


def with_bodies(
    posts: list[Post], bodies: list[tuple[str, str]]
) -> list[Post]:
    """The posts with their (Markdown, HTML) in place of the source."""
    return [
        p if isinstance(p, Other) else p._replace(body=body, html=html)
        for p, (body, html) in zip(posts, bodies, strict=True)
    ]
