"""HTML from other systems to Practica's Markdown, and to safe HTML.

Stack Exchange and Discourse keep each post as HTML they rendered from
their own Markdown dialect (with raw HTML allowed). Practica keeps
CommonMark source, rendered once by ``core.text.render_markdown`` with
raw HTML escaped, so the importers convert the HTML to Markdown with
html-to-markdown (a Rust converter: code blocks fenced, links, images,
lists, quotes, headings and emphasis kept, text that would read as
Markdown escaped so it stays text).

Rendering the converted Markdown again costs more than everything else
an import does per post; the page shows what the source showed, so the
fast path sanitises the source's own HTML with the same allow-list as
``render_markdown`` instead (:func:`safe_html`). ``rerender=True`` on an
importer renders the Markdown as the services would.
"""

import html
import re

import nh3
from html_to_markdown import ConversionOptions, api

from practica.core import text

_HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]
_OPTIONS = api._to_rust_conversion_options(
    ConversionOptions(
        extract_metadata=False,
        heading_style="atx",
        code_block_style="backticks",
        bullets="-",
        # Literal * _ [ ] in the HTML's text are text, not Markdown.
        escape_asterisks=True,
        escape_underscores=True,
        escape_misc=True,
        # An avatar in a heading or a link stays an image.
        keep_inline_images_in=[*_HEADINGS, "a", "strong", "em", "b", "i"],
    )
)
_convert = api._rust.convert
_BLANKS = re.compile(r"\n{3,}")


def to_markdown(source_html: str) -> str:
    """Markdown for a fragment of HTML (empty for empty input)."""
    if not source_html or not source_html.strip():
        return ""
    if "<" not in source_html and "&" not in source_html:
        # Plain text (a tag wiki excerpt): escape what would be markup.
        source_html = f"<p>{source_html}</p>"
    markdown = _convert(source_html, _OPTIONS).content or ""
    return _BLANKS.sub("\n\n", markdown).strip()


def safe_html(source_html: str) -> str:
    """The source's HTML, sanitised exactly as ``render_markdown``
    sanitises ours (same tags, attributes, schemes and link rel)."""
    return text.SANITISER.clean(source_html).strip()


def plain(source_html: str) -> str:
    """The words of some HTML, for one-line fields."""
    return " ".join(html.unescape(nh3.clean(source_html, tags=set())).split())


# Text with none of these renders as one paragraph of itself (with "&"
# as "&amp;"); anything else goes through the Markdown renderer. On one
# line (no reference definitions), brackets are markup only as "](" or
# at the start, "!" only before "[", "~" only doubled, "+" and "-" only
# as a list item or a rule, "#", "=", "|" only at the start, spaces only
# at the ends; an entity ("&amp;") is decoded.
_MARKUP = re.compile(
    r"[\\`*_<>\n\t\r\xa0]|\]\(|\]\[|\]:|^\[|!\[|~~|&#?\w+;|^\s|\s$"
    r"|^\d+[.)]|^[-+](\s|$)|^--|^[#=|]"
)


def render_short(source: str) -> str:
    """``render_markdown`` for a comment, without the renderer's cost
    when the text holds no Markdown at all (most comments): the same
    output either way (tested over every comment of the real dump)."""
    if _MARKUP.search(source):
        return text.render_markdown(source)
    return f"<p>{source.replace('&', '&amp;')}</p>\n"


def convert_bodies(
    sources: list[str], rerender: bool = False
) -> list[tuple[str, str]]:
    """(Markdown, HTML to show) for each HTML body, ("", "") for an
    empty one: the importers' per-post work, run in a worker process.

    The HTML is the source's own, sanitised (:func:`safe_html`), or with
    ``rerender`` the Markdown rendered as an edit would render it.
    """
    out: list[tuple[str, str]] = []
    for source in sources:
        markdown = (
            text.clean_markdown(
                to_markdown(source), field="body", max_length=10**9
            )
            if source
            else ""
        )
        if not markdown:
            out.append(("", ""))
        elif rerender:
            out.append((markdown, text.render_markdown(markdown)))
        else:
            out.append((markdown, safe_html(source)))
    return out


def convert_comments(
    sources: list[str], max_length: int
) -> list[tuple[str, str]]:
    """(text, HTML) for each comment: cleaned, cut to ``max_length``
    and rendered (:func:`render_short`); ("", "") for an empty one."""
    out: list[tuple[str, str]] = []
    for source in sources:
        body = text.clean_markdown(source, field="text", max_length=10**6)[
            :max_length
        ]
        out.append((body, render_short(body)) if body else ("", ""))
    return out


def render_many(sources: list[str]) -> list[str]:
    """``render_markdown`` of each source: the corpus importer's
    per-post work, run in a worker process."""
    return [text.render_markdown(source) for source in sources]
