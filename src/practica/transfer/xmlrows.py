"""Reading the dumps' XML: rows with their line numbers, and values
that must be numbers or times, with errors that name the file and line.

No Django models here: the import's worker processes check files with
it without setting Django up.
"""

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from xml.parsers import expat

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
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def moment(attrs: dict[str, str], key: str, where: str) -> datetime:
    """A time that must be there."""
    value = maybe_moment(attrs, key, where)
    if value is None:
        raise DumpError(f"{where}: the {key} attribute is missing.")
    return value
