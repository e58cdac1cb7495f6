"""The rows and facets of the search page, rendered in Python.

A page holds 20 rows of some 25 template nodes each; through the
template engine they cost ~0.3 ms a row, most of the page once the
engine has answered. The same markup built here, every value escaped
with ``html.escape`` (what Django's ``escape`` does), costs a tenth of
that. The markup is written here once; change it with the page's CSS
(the ``search-*`` classes) and bump :data:`VERSION`.

Only the engine's excerpts are trusted as HTML: the engines escape the
text and add only ``<b>`` marks (see ``engine.search``).
"""

from datetime import datetime
from html import escape

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString, mark_safe

from practica.search.selectors import Facet, Row

register = template.Library()

# Part of the cached pages' key: bump it when the markup below changes.
VERSION = 3

_COUNTS = {
    "question": ("answer", "answers"),
    "discussion": ("reply", "replies"),
    "community": ("member", "members"),
}


def _count(kind: str, n: int) -> str:
    words = _COUNTS.get(kind)
    return f"<span>{n} {words[n != 1]}</span>" if words else ""


def _when(created: datetime | None) -> str:
    """``<time>`` in the viewer's time zone, as ``|date:"j M Y"`` shows
    it (and ``|date:"c"`` for the machine)."""
    if created is None:
        return ""
    local = (
        timezone.localtime(created) if timezone.is_aware(created) else created
    )
    day = f"{local.day} {str(MONTHS_3[local.month]).title()} {local.year}"
    return f'<time datetime="{local.isoformat()}">{day}</time>'


def hit_html(row: Row) -> str:
    """One result: its kind, title, excerpts and where it lives."""
    hit = row.hit
    kind = hit.type
    parts = [
        f'<li class="search-hit search-{escape(kind)}">\n'
        f'  <p class="search-badges"><span class="badge kind">'
        f"{escape(row.label)}</span>"
    ]
    if kind == "question" and hit.solved:
        parts.append(' <span class="badge ok">✓ Solved</span>')
    parts.append(
        f"</p>\n"
        f'  <h2 class="search-title"><a href="{escape(row.url)}">'
        f"{escape(hit.title)}</a></h2>\n"
    )
    # The excerpts are the engine's HTML: escaped text and <b> marks.
    snippet = hit.snippet_html.strip()
    if snippet:
        parts.append(f'  <p class="search-snippet">{snippet}</p>\n')
    best = row.best_answer_html
    if best:
        parts.append(
            '  <p class="search-answer"><span class="search-answer-label">'
            f"Best answer</span> {best}</p>\n"
        )
    parts.append('  <p class="muted search-meta">')
    if row.community is not None and kind != "community":
        parts.append(
            f'in <a href="{escape(row.community_url)}">'
            f"{escape(row.community.name)}</a> "
        )
    parts.append(_count(kind, hit.replies))
    if kind != "person":
        parts.append(f" {_when(hit.created)}")
    for tag, href in row.tags:
        parts.append(
            f' <a class="chip" href="{escape(href)}">{escape(tag)}</a>'
        )
    parts.append("</p>\n</li>\n")
    return "".join(parts)


@register.simple_tag
def search_hits(rows: list[Row]) -> SafeString:
    """The ``<li>`` of each row: every value escaped, the excerpts
    (the engine's escaped text with ``<b>`` marks) as they are."""
    html = "".join(hit_html(row) for row in rows)
    return mark_safe(html)  # noqa: S308 (nosec: escaped above)


@register.simple_tag
def search_facet(
    heading: str, items: list[Facet], approximate: bool = False
) -> SafeString:
    """One facet: its values, each a link that adds its filter to the
    query, or takes it out again when the query has it. Estimated
    counts (``approximate``) read "~3,100"."""
    if not items:
        return SafeString("")
    parts = [
        '<section class="search-facet">\n'
        f"  <h2>{escape(heading)}</h2>\n"
        '  <ul class="plain">\n'
    ]
    about = ' title="About this many"' if approximate else ""
    for f in items:
        count = f"~{f.count:,}" if approximate else str(f.count)
        token = escape(f.filter)
        if f.active:
            state = f' aria-current="true" title="Take out {token}">'
            state += (
                '<span aria-hidden="true">✕ </span>'
                '<span class="sr-only">Take out: </span>'
            )
        else:
            state = f' title="Add {token}">'
        parts.append(
            f'    <li><a href="{escape(f.href)}"{state}{escape(f.label)}</a>'
            f' <span class="search-facet-count"{about}>{count}</span></li>\n'
        )
    parts.append("  </ul>\n</section>\n")
    return mark_safe("".join(parts))  # noqa: S308 (nosec: escaped above)
