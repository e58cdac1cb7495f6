"""The XSS corpus in a real browser: written into a charter, a profile
introduction, a practice statement and names, then looked at, hovered
and tabbed through, without a single script of the attacker's running.

Every payload that could run would call alert()/prompt()/confirm(), set
``window.__pwned`` or set the title to "pwned"; each of those is
watched.
"""

import pytest
from playwright.sync_api import Dialog, Page, expect

from practica.accounts import services as accounts
from practica.communities import services as communities
from practica.communities.models import Community, Policy
from tests.browser.conftest import Steps, sign_in, sign_out
from tests.factories import PASSWORD, UserFactory
from tests.fixtures import xss_payloads

PAYLOADS = xss_payloads()
# The sentinel payloads: they announce themselves if they ever run.
NASTIEST = [p for p in PAYLOADS if "pwned" in p]
NAME = "<img src=x onerror=window.__pwned=1>"
TAGLINE = "Where <script>window.__pwned=1</script> lives"

# In-page audit: what of the attacker's markup survived into the DOM.
AUDIT = """
(root) => {
  const bad = [];
  const forbidden = new Set(["SCRIPT", "IFRAME", "OBJECT", "EMBED",
    "STYLE", "META", "BASE", "FORM", "INPUT", "BUTTON", "TEXTAREA",
    "SELECT", "LINK", "VIDEO", "AUDIO", "SOURCE", "MARQUEE", "svg",
    "math", "NOSCRIPT", "TEMPLATE"]);
  for (const el of root.querySelectorAll("*")) {
    if (forbidden.has(el.tagName)) bad.push("<" + el.tagName + ">");
    for (const a of el.attributes) {
      if (/^on/i.test(a.name) || ["style", "srcdoc", "formaction",
          "action", "xlink:href"].includes(a.name.toLowerCase()))
        bad.push(el.tagName + " " + a.name + "=" + a.value);
    }
    for (const name of ["href", "src", "action", "data", "background"]) {
      const value = el.getAttribute(name);
      if (value === null) continue;
      const url = new URL(value, document.baseURI);
      if (!["http:", "https:", "mailto:"].includes(url.protocol))
        bad.push(el.tagName + " " + name + "=" + value);
    }
  }
  return bad;
}
"""
# Fire every event an inline handler could wait for, on every element.
PROVOKE = """
(root) => {
  const events = ["mouseover", "mouseenter", "mousemove", "mouseout",
    "mousedown", "mouseup", "focus", "focusin", "blur", "focusout",
    "keydown", "keyup", "input", "change", "toggle", "load", "error",
    "animationstart", "transitionend", "pointerover", "pointerdown"];
  const all = root.querySelectorAll("*");
  for (const el of all) {
    for (const type of events) el.dispatchEvent(new Event(type));
    if (typeof el.focus === "function") el.focus();
  }
  return all.length;
}
"""


@pytest.fixture
def attacked(transactional_db):
    """A coordinator named like an attack, whose approval community's
    charter holds the whole corpus and whose introduction holds the
    nastiest payloads; a viewer who asked to join with some of them."""
    coordinator = UserFactory(display_name=NAME)  # past the services
    accounts.profile_update(
        actor=coordinator,
        person=coordinator,
        introduction="\n\n".join(NASTIEST),
        job_title=NAME,
    )
    community = communities.community_create(
        creator=coordinator,
        name="Hostile Text",
        tagline=TAGLINE,
        policy=Policy.APPROVAL,
        charter="\n\n".join(PAYLOADS),
    )
    viewer = UserFactory(display_name="Careful Viewer")
    communities.community_join(
        user=viewer,
        community=community,
        practice_statement="\n".join(NASTIEST[:20]),
    )
    return coordinator, viewer, community


class Watch:
    """Everything by which a payload that ran would give itself away."""

    def __init__(self, page: Page, js_errors: list[str], origin: str):
        self.page, self.js_errors, self.origin = page, js_errors, origin
        self.dialogs: list[str] = []
        page.on("dialog", self._dialog)

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def check(self, where: str) -> None:
        page = self.page
        assert self.dialogs == [], f"{where}: {self.dialogs}"
        expect(page).not_to_have_title("pwned")
        pwned = page.evaluate("window.__pwned")
        assert pwned is None, f"{where}: window.__pwned was set"
        # Blocked images from other hosts are expected; nothing else is.
        ours = [
            e
            for e in self.js_errors
            if not e.startswith("console: Failed to load resource")
            or f"({self.origin}" in e
        ]
        assert ours == [], f"{where}: {ours}"

    def provoke(self, root: str) -> None:
        """Hover and tab through what a person would, then everything."""
        page = self.page
        for link in page.locator(f"{root} a, {root} img").all():
            if link.is_visible():
                link.hover()
        page.locator(root).first.hover()
        page.locator("body").focus()
        for _ in range(page.locator(f"{root} a").count() + 3):
            page.keyboard.press("Tab")
        for element in page.locator(root).all():
            assert element.evaluate(PROVOKE) >= 0
        page.mouse.move(0, 0)


def audit(page: Page, root: str) -> list[str]:
    found: list[str] = []
    for element in page.locator(root).all():
        found += element.evaluate(AUDIT)
    return found


def test_charter_and_introduction_run_no_script(
    page: Page, steps: Steps, js_errors: list[str], attacked, live_server
):
    coordinator, viewer, community = attacked
    watch = Watch(page, js_errors, live_server.url)
    sign_in(page, viewer.email, PASSWORD)

    # The community's page: the whole corpus in the charter.
    page.goto(f"/c/{community.slug}/")
    charter = page.locator(".prose")
    expect(charter).to_contain_text("{{ 7*7 }}")
    expect(charter).to_contain_text("{% csrf_token %}")
    expect(charter).to_contain_text("<script>alert(1)</script>")
    steps("charter")
    assert audit(page, ".prose") == []
    expect(page.locator("main script")).to_have_count(0)
    expect(page.locator("h1")).to_have_text("Hostile Text")
    expect(page.locator(".comm-tagline")).to_have_text(TAGLINE)
    watch.check("charter, loaded")
    watch.provoke(".prose")
    watch.check("charter, provoked")
    steps("charter provoked")

    # The directory card shows the names and the tagline.
    page.goto("/communities/")
    expect(page.get_by_role("link", name="Hostile Text")).to_be_visible()
    watch.provoke(".comm-grid")
    watch.check("directory")

    # The coordinator's profile: nastiest payloads in the introduction.
    page.goto(f"/people/{coordinator.pk}/")
    intro = page.locator(".prose")
    expect(intro).to_contain_text("window.__pwned=1")
    expect(page.locator("h1")).to_have_text(NAME)
    job = page.locator("dt", has_text="Job title").locator(
        "xpath=./following-sibling::dd[1]"
    )
    expect(job).to_have_text(NAME)
    steps("introduction")
    assert audit(page, ".prose") == []
    watch.provoke(".prose")
    watch.check("introduction")
    steps("introduction provoked")

    # The coordinator reads the practice statement and sees the queue.
    sign_out(page)
    sign_in(page, coordinator.email, PASSWORD)
    expect(page.locator("header")).to_contain_text(NAME)
    watch.provoke("main .comm-list")
    watch.check("coordinator home")
    page.goto(f"/c/{community.slug}/requests/")
    statement = page.locator("blockquote.comm-statement")
    expect(statement).to_contain_text("window.__pwned=1")
    assert audit(page, ".comm-request blockquote") == []
    watch.provoke(".comm-request blockquote")
    watch.check("practice statement")
    steps("practice statement")


def test_the_watch_sees_a_script_that_runs(
    page: Page, js_errors: list[str], live_server, transactional_db
):
    """A control: HTML that skipped the sanitiser is caught by each of
    the watches above, so their silence means something."""
    coordinator = UserFactory()
    community = communities.community_create(
        creator=coordinator, name="Unsanitised", tagline="A control"
    )
    Community.objects.filter(pk=community.pk).update(
        charter_html=(
            "<script>window.__pwned=1</script>"
            '<img src="data:," onerror="alert(\'xss\')">'
            '<a href="javascript:void(0)" onmouseover="document.title='
            "'pwned'\">hover me</a>"
        )
    )
    watch = Watch(page, js_errors, live_server.url)
    page.goto(f"/c/{community.slug}/")
    expect(page.get_by_text("hover me")).to_be_visible()
    assert page.evaluate("window.__pwned") == 1
    # The alert held the load event back until it was dismissed.
    assert watch.dialogs == ["alert: xss"]
    found = audit(page, ".prose")
    assert found[0] == "<SCRIPT>"
    assert len(found) == 5, found  # script, img onerror + src, a twice
    watch.provoke(".prose")
    expect(page).to_have_title("pwned")
