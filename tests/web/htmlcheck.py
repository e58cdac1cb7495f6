"""A structural HTML check for the tests, with the standard library (no
HTML5 parser is installed): block elements inside a paragraph.

An HTML5 parser closes an open ``<p>`` when a block starts (``<ul>``,
``<div>``, ``<table>`` ...), so ``<p><ul>...</ul></p>`` becomes an empty
paragraph, the list outside it, and a stray ``</p>`` (a parse error that
also makes a second, empty paragraph). That is what :func:`blocks_in_p`
finds: a block started inside a paragraph that is later closed
explicitly.
"""

from html.parser import HTMLParser

# Start tags that close an open <p> (HTML Living Standard, "in body").
CLOSES_P = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "listing",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "search",
        "section",
        "summary",
        "table",
        "ul",
    ]
)


class _Paragraphs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open_at: tuple[int, int] | None = None
        self.blocks: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if self.open_at is not None and tag in CLOSES_P:
            self.blocks.append(tag)
        if tag == "p":
            self.open_at, self.blocks = self.getpos(), []

    def handle_endtag(self, tag: str) -> None:
        if tag != "p":
            return
        if self.open_at is None:
            self.problems.append(
                f"</p> with no <p> open, line {self.getpos()[0]}"
            )
        elif self.blocks:
            self.problems.append(
                f"<{self.blocks[0]}> inside the <p> opened on line "
                f"{self.open_at[0]}"
            )
        self.open_at, self.blocks = None, []


def blocks_in_p(html: str) -> list[str]:
    """Each paragraph that holds a block element, as a line to read."""
    parser = _Paragraphs()
    parser.feed(html)
    parser.close()
    return parser.problems
