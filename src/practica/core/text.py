"""Text helpers: Markdown rendered once to sanitised HTML, plain fields.

Pages never render Markdown; services call :func:`render_markdown` when a
person writes and store the result beside the source.
"""

import difflib
import re
import zoneinfo
from functools import cache

import nh3
from django.core.exceptions import ValidationError
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details",
    "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "kbd", "li", "ol", "p", "pre", "s", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "code": {"class"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@cache
def _markdown() -> MarkdownIt:
    # commonmark with tables and strikethrough; raw HTML stays escaped.
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
        ["table", "strikethrough"]
    )


# The one HTML sanitiser, built once (``nh3.clean`` builds one from the
# allow-lists on every call: ~45 µs of a post's render).
SANITISER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel="nofollow noopener noreferrer",
)


def render_markdown(source: str) -> str:
    """Markdown to HTML that is safe to show as is."""
    return SANITISER.clean(_markdown().render(source))


def clean_line(
    value: str, *, field: str, max_length: int, required: bool = True
) -> str:
    """One line of plain text: trimmed, no control characters, spaces
    collapsed. Stored as typed; templates escape it on the way out.

    Refuses an empty value when required and a value over ``max_length``,
    naming the field.
    """
    value = _CONTROL.sub("", value or "").strip()
    value = " ".join(value.split())
    if required and not value:
        raise ValidationError(
            {
                field: f"{field.replace('_', ' ').capitalize()}"
                " is required: please fill it in."
            }
        )
    if len(value) > max_length:
        raise ValidationError(
            {
                field: f"{field.replace('_', ' ').capitalize()} is "
                f"{len(value)} characters long; shorten it to at most "
                f"{max_length}."
            }
        )
    return value


def clean_markdown(
    value: str, *, field: str, max_length: int = 50_000, required: bool = False
) -> str:
    """Markdown source: control characters removed, length checked."""
    value = _CONTROL.sub("", (value or "").replace("\r\n", "\n")).strip()
    if required and not value:
        raise ValidationError(
            {
                field: f"{field.replace('_', ' ').capitalize()}"
                " is required: please write a few words."
            }
        )
    if len(value) > max_length:
        raise ValidationError(
            {
                field: f"{field.replace('_', ' ').capitalize()} is "
                f"{len(value)} characters long; shorten it to at most "
                f"{max_length}."
            }
        )
    return value


@cache
def time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def clean_time_zone(value: str, *, field: str = "time_zone") -> str:
    """An IANA time zone name such as Europe/Berlin."""
    value = (value or "").strip()
    if value not in time_zones():
        raise ValidationError(
            {
                field: f"'{value}' is not a time zone we know: use an IANA "
                "name such as Europe/Berlin or America/New_York."
            }
        )
    return value


def diff_lines(old: str, new: str) -> list[tuple[str, str]]:
    """Line by line, what changed from ``old`` to ``new``.

    Each pair is ``(op, line)`` with op ``"equal"``, ``"delete"`` (only
    in old) or ``"insert"`` (only in new); a changed line is its deletion
    followed by its insertion.
    """
    a, b = old.splitlines(), new.splitlines()
    lines: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            lines.extend(("equal", line) for line in a[i1:i2])
            continue
        lines.extend(("delete", line) for line in a[i1:i2])
        lines.extend(("insert", line) for line in b[j1:j2])
    return lines
