"""Every payload of the XSS corpus comes out of render_markdown harmless.

The output is parsed with the standard library's HTML parser and each
tag and attribute is checked, so an escaped ``&lt;script&gt;`` passes and
a real ``<script>`` does not, whatever its spelling.
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from practica.accounts import services as accounts
from practica.communities import services as communities
from practica.core.text import clean_markdown, render_markdown
from tests.factories import UserFactory
from tests.fixtures import xss_payloads

PAYLOADS = xss_payloads()
TEMPLATES = [p for p in PAYLOADS if "{{" in p or "{%" in p]

FORBIDDEN_TAGS = {
    "applet", "audio", "base", "basefont", "bgsound", "body", "button",
    "embed", "form", "frame", "frameset", "head", "html", "iframe",
    "image", "input", "isindex", "keygen", "link", "marquee", "math",
    "meta", "noembed", "noscript", "object", "option", "param",
    "plaintext", "script", "select", "source", "style", "svg", "template",
    "textarea", "title", "video", "xmp",
}  # fmt: skip
FORBIDDEN_ATTRIBUTES = {
    "action", "background", "dynsrc", "formaction", "http-equiv",
    "lowsrc", "srcdoc", "style", "xlink:href", "xmlns",
}  # fmt: skip
URL_ATTRIBUTES = {
    "action", "background", "cite", "codebase", "data", "dynsrc",
    "formaction", "href", "icon", "longdesc", "lowsrc", "manifest",
    "ping", "poster", "src", "srcset", "usemap", "xlink:href",
}  # fmt: skip
DANGEROUS = {"javascript", "vbscript", "data", "livescript"}
# What a browser drops before reading a URL's scheme (WHATWG URL parsing):
# leading and trailing C0 controls and spaces, and tabs and newlines
# anywhere.
_EDGES = "".join(chr(c) for c in range(0x21))
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")


def scheme(url: str) -> str:
    """The scheme a browser would see in ``url``, lower-cased ('' if
    relative)."""
    found = _SCHEME.match(_TAB_NEWLINE.sub("", url).strip(_EDGES))
    return found.group(1).lower() if found else ""


class Audit(HTMLParser):
    """The tags, attributes and markup declarations in a piece of HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.other: list[str] = []

    def handle_starttag(
        self, tag: str, attrs: list[tuple[str, str | None]]
    ) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(
        self, tag: str, attrs: list[tuple[str, str | None]]
    ) -> None:
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        self.tags.append((tag, []))

    def handle_comment(self, data: str) -> None:
        self.other.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.other.append(f"<!{decl}>")

    def unknown_decl(self, data: str) -> None:
        self.other.append(f"<![{data}]>")

    def handle_pi(self, data: str) -> None:
        self.other.append(f"<?{data}>")


def problems(html: str) -> list[str]:
    """What makes ``html`` unsafe to show as is; empty when it is safe."""
    audit = Audit()
    audit.feed(html)
    audit.close()
    found = [f"markup declaration {d!r}" for d in audit.other]
    if re.search(r"<\s*/?\s*script", html, re.IGNORECASE):
        found.append("a script tag, whatever the parser made of it")
    for tag, attrs in audit.tags:
        if tag in FORBIDDEN_TAGS or ":" in tag:
            found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                found.append(f"<{tag} {name}=…> (event handler)")
            if name in FORBIDDEN_ATTRIBUTES:
                found.append(f"<{tag} {name}=…>")
            if name in URL_ATTRIBUTES and scheme(value or "") in DANGEROUS:
                found.append(f"<{tag} {name}={value!r}>")
    return found


def test_the_corpus_is_big_and_distinct():
    assert len(PAYLOADS) >= 50
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    assert len(TEMPLATES) >= 5
    assert any("\n" in p for p in PAYLOADS), "the ⏎ escape works"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("javascript:alert(1)", "javascript"),
        (" \x0e JaVa\tScRiPt:alert(1)", "javascript"),
        ("java\nscript:alert(1)", "javascript"),
        ("\x01vbscript:msgbox(1)", "vbscript"),
        ("DATA:text/html,x", "data"),
        ("https://example.org/?javascript:x", "https"),
        ("/c/safety/", ""),
        ("jav%09ascript:alert(1)", ""),  # % is no scheme character
    ],
)
def test_scheme_reads_urls_as_a_browser_does(url, expected):
    assert scheme(url) == expected


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//x.example/x.js>",
        '<img src="x" onerror="alert(1)">',
        '<a href=" jAvA&#x09;script:alert(1)">x</a>',
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
        "<iframe src=/></iframe>",
        "<svg><a xlink:href=x>y</a></svg>",
        '<p style="background:url(x)">x</p>',
        "<!-- a comment -->",
        '<form action="/x"><button>x</button></form>',
        '<meta http-equiv="refresh" content="0;url=x">',
    ],
)
def test_the_audit_catches_what_it_looks_for(html):
    assert problems(html), html


@pytest.mark.parametrize(
    "payload", PAYLOADS, ids=[f"p{i:03d}" for i in range(len(PAYLOADS))]
)
def test_rendered_payload_is_harmless(payload):
    html = render_markdown(payload)
    assert problems(html) == [], f"{payload!r} rendered as {html!r}"
    # What a service stores (control characters dropped first) too.
    stored = render_markdown(clean_markdown(payload, field="charter"))
    assert problems(stored) == [], f"{payload!r} stored as {stored!r}"


def test_safe_markdown_still_renders():
    """The audit is not passing because everything is escaped."""
    html = render_markdown(
        '**bold** [docs](https://example.org/a "t") ![pic](/x.png)\n\n'
        "```python\nprint(1)\n```"
    )
    assert problems(html) == []
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.org/a" title="t"' in html
    assert '<img src="/x.png" alt="pic">' in html
    assert '<code class="language-python">' in html


@pytest.mark.django_db
def test_template_strings_come_out_literally_on_a_community_page(client):
    coordinator = UserFactory()
    community = communities.community_create(
        creator=coordinator,
        name="Templates",
        tagline="Curly braces everywhere",
        charter="\n\n".join(TEMPLATES),
    )
    client.force_login(coordinator)
    response = client.get(reverse("communities:detail", args=[community.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    for payload in TEMPLATES:
        assert render_markdown(payload) in page, payload
    assert "<p>49</p>" not in page
    assert "7777777" not in page
    assert coordinator.password not in page


@pytest.mark.django_db
def test_template_strings_come_out_literally_on_a_profile(client, settings):
    person = UserFactory()
    accounts.profile_update(
        actor=person, person=person, introduction="\n\n".join(TEMPLATES)
    )
    client.force_login(person)
    response = client.get(reverse("accounts:person", args=[person.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for payload in TEMPLATES:
        assert render_markdown(payload) in page, payload
    assert settings.SECRET_KEY not in page
    assert "<p>49</p>" not in page


@pytest.mark.django_db
def test_plain_fields_show_exactly_what_was_typed(client):
    """Stored as typed and escaped once, on the way out."""
    coordinator = UserFactory()
    community = communities.community_create(
        creator=coordinator,
        name="R&D <Safety>",
        tagline="Tips & tricks for <code> reviews",
    )
    client.force_login(coordinator)
    response = client.get(reverse("communities:detail", args=[community.slug]))
    page = response.content.decode()
    assert "<h1>R&amp;D &lt;Safety&gt;</h1>" in page
    assert "Tips &amp; tricks for &lt;code&gt; reviews" in page
