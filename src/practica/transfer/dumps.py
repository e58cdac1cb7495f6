"""Shared pieces of the importers: errors that say where, streaming XML
rows with their line numbers, the import-key map and the run's result."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.parsers import expat

from django.utils import timezone

from practica.communities.models import Community
from practica.conversations import importer
from practica.transfer.models import ImportKey

Progress = Callable[[str, int], None]
CHUNK = 1 << 20


class DumpError(ValueError):
    """The input is not what the importer expects; says the file and
    line, and what to do."""


def xml_rows(path: Path, root: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, attributes) of each ``<row>`` in a Stack Exchange XML file.

    Streams the file through expat a megabyte at a time, so memory holds
    one chunk's rows however large the file is. Refuses a missing file,
    a root element other than ``<root>`` and XML that is not
    well-formed, naming the file and line.
    """
    if not path.is_file():
        raise DumpError(f"{path}: the file is missing.")
    parser = expat.ParserCreate()
    parser.buffer_text = True
    # No DTD and no external entities: a dump is plain rows.
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    found: list[tuple[int, dict[str, str]]] = []
    depth = 0

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        if depth == 1 and name != root:
            raise DumpError(
                f"{path.name}:{parser.CurrentLineNumber}: the root element "
                f"is <{name}>; a Stack Exchange {path.name} has <{root}>."
            )
        if depth == 2 and name == "row":
            found.append((parser.CurrentLineNumber, attrs))

    def end(_name: str) -> None:
        nonlocal depth
        depth -= 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(CHUNK)
            try:
                parser.Parse(chunk, not chunk)
            except expat.ExpatError as exc:
                raise DumpError(
                    f"{path.name}:{exc.lineno}: not well-formed XML "
                    f"({expat.ErrorString(exc.code)}, column "
                    f"{exc.offset + 1})."
                ) from exc
            yield from found
            found.clear()
            if not chunk:
                return


def maybe_number(attrs: dict[str, str], key: str, where: str) -> int | None:
    """An optional whole-number attribute."""
    raw = attrs.get(key)
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise DumpError(
            f"{where}: {key}={raw!r} is not a whole number."
        ) from None


def number(attrs: dict[str, str], key: str, where: str) -> int:
    """A whole-number attribute that must be there."""
    value = maybe_number(attrs, key, where)
    if value is None:
        raise DumpError(f"{where}: the {key} attribute is missing.")
    return value


def maybe_moment(
    attrs: dict[str, str], key: str, where: str
) -> datetime | None:
    """An optional time as the dumps write it (ISO 8601, UTC when no
    zone given)."""
    raw = attrs.get(key)
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise DumpError(
            f"{where}: {key}={raw!r} is not a date and time "
            "(expected 2010-08-25T19:50:51.187)."
        ) from None
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


def moment(attrs: dict[str, str], key: str, where: str) -> datetime:
    """A time that must be there."""
    value = maybe_moment(attrs, key, where)
    if value is None:
        raise DumpError(f"{where}: the {key} attribute is missing.")
    return value


class Keys:
    """Source ids to row ids through :class:`ImportKey`, looked up a
    batch at a time (memory stays bounded by the batch)."""

    def __init__(self, source: str) -> None:
        self.source = source

    def find(
        self, kind: str | Iterable[str], keys: Iterable[Any]
    ) -> dict[str, int]:
        kinds = [kind] if isinstance(kind, str) else list(kind)
        wanted = {str(k) for k in keys if k is not None}
        if not wanted:
            return {}
        return dict(
            ImportKey.objects.filter(
                source=self.source, kind__in=kinds, key__in=wanted
            ).values_list("key", "target_id")
        )

    def kinds(
        self, kinds: Iterable[str], keys: Iterable[Any]
    ) -> dict[str, tuple[str, int]]:
        wanted = {str(k) for k in keys if k is not None}
        if not wanted:
            return {}
        return {
            key: (kind, target)
            for key, kind, target in ImportKey.objects.filter(
                source=self.source, kind__in=list(kinds), key__in=wanted
            ).values_list("key", "kind", "target_id")
        }

    def add(
        self,
        kind: str,
        pairs: Iterable[tuple[Any, int]],
        pending: dict[str, str] | None = None,
    ) -> None:
        pending = pending or {}
        importer.fast_insert(
            [
                ImportKey(
                    source=self.source,
                    kind=kind,
                    key=str(key),
                    target_id=target,
                    pending=pending.get(str(key), ""),
                    created_at=timezone.now(),
                )
                for key, target in pairs
            ]
        )


@dataclass
class Result:
    """What one import run did, per kind of record."""

    community: Community | None = None
    community_created: bool = False
    created: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    read: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    indexed: int = 0
    seconds: float = 0.0
    index_seconds: float = 0.0
    posts_seconds: float = 0.0

    def add(self, kind: str, n: int = 1) -> None:
        self.created[kind] = self.created.get(kind, 0) + n

    def skip(self, kind: str, n: int = 1) -> None:
        self.skipped[kind] = self.skipped.get(kind, 0) + n

    @property
    def rows(self) -> int:
        return sum(self.created.values())
