"""Reading the dumps' XML: rows with their line numbers, and values
that must be numbers or times, with errors that name the file and line.

No Django models here: the import's worker processes check files with
it without setting Django up.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from xml.parsers import expat

CHUNK = 1 << 20


class DumpError(ValueError):
    """The input is not what the importer expects; says the file and
    line, and what to do."""


@dataclass
class Splits:
    """Where a file's rows can be cut into ranges of ``every`` rows, as
    the check found them: (byte offset, line) of each range's first
    ``<row``, and the byte offset of the root's end tag. Lets worker
    processes parse the ranges side by side (:func:`range_rows`)."""

    every: int
    starts: list[tuple[int, int]] = field(default_factory=list)
    end: int = -1
    encoding: str | None = None
    usable: bool = True

    def ranges(self) -> list[tuple[int, int, int]]:
        """(start, end, first line) of each range, in file order."""
        if not self.starts:
            return []
        bounds = [s for s, _ in self.starts[1:]] + [self.end]
        return [
            (start, stop, line)
            for (start, line), stop in zip(self.starts, bounds, strict=True)
        ]


# Encodings whose bytes read the same when a range is parsed on its own
# (UTF-16 would need its byte order mark).
_SPLITTABLE = {None, "utf-8", "utf8", "us-ascii", "ascii"}


def xml_rows(
    path: Path, root: str, splits: Splits | None = None
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, attributes) of each ``<row>`` in a Stack Exchange XML file.

    Streams the file through expat a megabyte at a time, so memory holds
    one chunk's rows however large the file is. Refuses a missing file,
    a root element other than ``<root>`` and XML that is not
    well-formed, naming the file and line. With ``splits``, notes where
    every ``splits.every``-th row starts (for :func:`range_rows`).
    """
    if not path.is_file():
        raise DumpError(f"{path}: the file is missing.")
    parser = expat.ParserCreate()
    parser.buffer_text = True
    # No DTD and no external entities: a dump is plain rows.
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    found: list[tuple[int, dict[str, str]]] = []
    depth = 0
    rows = 0

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal depth, rows
        depth += 1
        if depth == 1 and name != root:
            raise DumpError(
                f"{path.name}:{parser.CurrentLineNumber}: the root element "
                f"is <{name}>; a Stack Exchange {path.name} has <{root}>."
            )
        if depth == 2 and name == "row":
            found.append((parser.CurrentLineNumber, attrs))
            if splits is not None and rows % splits.every == 0:
                splits.starts.append(
                    (parser.CurrentByteIndex, parser.CurrentLineNumber)
                )
            rows += 1

    def end(_name: str) -> None:
        nonlocal depth
        if depth == 1 and splits is not None:
            splits.end = parser.CurrentByteIndex
        depth -= 1

    def declaration(
        _version: str, encoding: str | None, _standalone: int
    ) -> None:
        if splits is not None:
            splits.encoding = encoding
            splits.usable = (encoding and encoding.lower()) in _SPLITTABLE

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.XmlDeclHandler = declaration
    with path.open("rb") as handle:
        if splits is not None and handle.read(2) in (b"\xff\xfe", b"\xfe\xff"):
            splits.usable = False  # UTF-16, told by its byte order mark
        handle.seek(0)
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


def range_rows(
    path: Path, start: int, end: int, line: int, encoding: str | None
) -> list[tuple[int, dict[str, str]]]:
    """(line, attributes) of the rows between two byte offsets that the
    check found (:class:`Splits`); runs in a worker process. The range
    was well-formed in the check, so an error here means the file
    changed since."""
    with path.open("rb") as handle:
        handle.seek(start)
        data = handle.read(end - start)
    parser = expat.ParserCreate(encoding)
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    found: list[tuple[int, dict[str, str]]] = []
    depth = 0
    first = line - 1

    def begin(name: str, attrs: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        if depth == 2 and name == "row":
            found.append((first + parser.CurrentLineNumber, attrs))

    def finish(_name: str) -> None:
        nonlocal depth
        depth -= 1

    parser.StartElementHandler = begin
    parser.EndElementHandler = finish
    try:
        parser.Parse(b"<rows>" + data + b"</rows>", True)
    except expat.ExpatError as exc:
        raise DumpError(
            f"{path.name}:{first + exc.lineno}: not well-formed XML "
            f"({expat.ErrorString(exc.code)}); the file changed after "
            "the check: run the import again."
        ) from exc
    return found


def prepare_range[T](
    path: Path,
    encoding: str | None,
    prepare: Callable[[list[tuple[str, dict[str, str]]]], T],
    span: tuple[int, int, int],
) -> T:
    """``prepare`` of the rows (where, attributes) of one range the
    check found; runs in a worker process."""
    start, end, first = span
    return prepare(
        [
            (f"{path.name}:{n}", attrs)
            for n, attrs in range_rows(path, start, end, first, encoding)
        ]
    )


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
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def moment(attrs: dict[str, str], key: str, where: str) -> datetime:
    """A time that must be there."""
    value = maybe_moment(attrs, key, where)
    if value is None:
        raise DumpError(f"{where}: the {key} attribute is missing.")
    return value
