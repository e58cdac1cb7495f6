"""The repertoire walk: the asker captures a solved question as a best
practice, edits and publishes it, verifies it for 30 days, follows the
links between question and artifact, compares two revisions and brings
the first back. Then two editors cross: the second is shown what changed,
keeps their text, merges and saves."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import dateformat, timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from practica.accounts import services as accounts
from practica.accounts.models import User
from practica.communities import services as communities
from practica.communities.models import Community, Kind, Role
from practica.conversations import services as conversations
from practica.conversations.models import Conversation
from practica.repertoire import services as repertoire
from practica.repertoire.models import Artifact
from practica.repertoire.models import Kind as ArtifactKind
from practica.repertoire.models import Status as ArtifactStatus
from tests.browser.conftest import FAILED, TIMEOUT, Steps, sign_in
from tests.conversations.factories import answer, ask
from tests.factories import PASSWORD, UserFactory, member

TITLE = "Hydraulic pressure drops on press 4 after an hour"
QUESTION = (
    "Since the seals were changed, press 4 loses about 20 bar once the "
    "oil is warm. The pump was checked last week."
)
PRACTICE = "Rebuilt the press 4 hydraulics twice since 2019"
ANSWER = (
    "Check the **accumulator pre-charge**: with warm oil a low pre-charge "
    "shows up exactly like this. Ours was at 60 bar instead of 90."
)
CREDIT = f"*Answer by Amara Osei* — {PRACTICE}"
STEP = "Re-check the pre-charge after the first warm shift: 90 bar."
MESSAGE = "Added the check after the first warm shift"
ZONE = ZoneInfo("Europe/Berlin")  # everyone's zone, as the factory sets it


@dataclass
class Solved:
    community: Community
    asker: User
    answerer: User
    question: Conversation


@pytest.fixture
def solved(transactional_db) -> Solved:
    """A question in a community, answered from practice and accepted."""
    coordinator = UserFactory(display_name="Ines Duarte")
    community = communities.community_create(
        creator=coordinator,
        name="Press Line Maintenance",
        tagline="Keeping the presses running",
        kind=Kind.PROFESSIONAL,
    )
    asker = member(community, user__display_name="Wei Chen")
    answerer = member(community, user__display_name="Amara Osei")
    accounts.expertise_set(
        actor=answerer,
        person=answerer,
        skill="Hydraulics",
        level=5,
        years=12,
    )
    conversations.tag_create(
        actor=coordinator,
        community=community,
        name="Hydraulics",
        skill="hydraulics",
    )
    question = ask(
        asker, community, title=TITLE, body=QUESTION, tags=["Hydraulics"]
    )
    reply = answer(answerer, question, body=ANSWER, experience=PRACTICE)
    conversations.reply_accept(actor=asker, reply=reply)
    return Solved(community, asker, answerer, question)


def day(moment: datetime, style: str = "j M Y") -> str:
    """A date as the pages show it, in the person's zone."""
    return dateformat.format(moment.astimezone(ZONE), style)


def days_ahead(before: datetime, days: int, style: str = "j M Y") -> str:
    """The date ``days`` after ``before`` as a regular expression, or the
    next day's: the server takes its "now" a moment later, maybe past
    midnight."""
    dates = {
        day(moment + timedelta(days=days), style)
        for moment in (before, before + timedelta(minutes=1))
    }
    return "|".join(re.escape(d) for d in sorted(dates))


def in_order(*parts: str) -> re.Pattern[str]:
    """Each part, in this order, anything between."""
    return re.compile(r"[\s\S]*".join(re.escape(p) for p in parts))


def test_capture_edit_verify_diff_revert(
    page: Page, steps: Steps, js_errors: list[str], solved: Solved
):
    # The asker finds their solved question: it offers to be captured.
    sign_in(page, solved.asker.email, PASSWORD)
    steps("asker signed in")
    community = solved.community.name
    page.get_by_role("region", name="My communities").get_by_role(
        "link", name=community
    ).click()
    page.get_by_role(
        "navigation", name="Questions and discussions"
    ).get_by_role("link", name="All questions and discussions").click()
    row = page.locator(".conv-row").filter(has_text=TITLE)
    expect(row).to_contain_text("✓ Solved")
    row.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    shelf = page.get_by_role("region", name="Repertoire")
    expect(shelf).to_contain_text("Solved: keep what worked")
    steps("solved question")
    shelf.get_by_role("button", name="Capture as best practice").click()

    # A draft, prefilled from the question and the accepted answer, with
    # the answerer credited; the asker is sent straight to its editor.
    expect(page.get_by_role("status")).to_have_text(
        "Captured as a draft best practice. Make it read well on its own, "
        "then publish it."
    )
    expect(
        page.get_by_role("heading", name=f"Edit: {TITLE}", level=1)
    ).to_be_visible()
    expect(page.get_by_label("Kind")).to_have_value("best_practice")
    expect(page.get_by_role("textbox", name="Title")).to_have_value(TITLE)
    text = page.get_by_role("textbox", name="Text")
    expect(text).to_have_value(
        in_order("## Problem", QUESTION, "## What worked", ANSWER, CREDIT)
    )
    expect(page.get_by_role("textbox", name="Tags")).to_have_value(
        "Hydraulics"
    )
    steps("captured draft in the editor")
    artifact = Artifact.objects.get(source_id=solved.question.pk)
    original = artifact.body

    # They add a step under the answer and say why.
    text.fill(text.input_value().replace(ANSWER, f"{ANSWER}\n\n{STEP}"))
    page.get_by_label("What did you change?").fill(MESSAGE)
    steps("step added")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_have_text("Saved as revision 2.")
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page).to_have_url(f"/r/{artifact.pk}/")
    status = page.locator(".rep-status")
    expect(status).to_contain_text("Draft")
    expect(status).to_contain_text("Not verified")
    body = page.locator(".rep-body")
    expect(body.locator(".prose strong")).to_have_text(
        "accumulator pre-charge"
    )
    expect(body.locator(".prose")).to_contain_text(STEP)
    expect(body.locator(".rep-credits")).to_have_text(
        "With thanks to Amara Osei."
    )
    expect(body.locator(".post-meta")).to_contain_text("Revision 2")
    steps("draft saved")

    # Publish, then verify for 30 days with the page's own form.
    manage = page.get_by_role("region", name="Manage")
    manage.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_have_text(
        "Published: everyone who can see the community can read it now."
    )
    expect(status).not_to_contain_text("Draft")
    expect(page.get_by_role("note")).to_have_count(0)
    steps("published")
    verify = page.get_by_role("region", name="Verify")
    verify.get_by_label("Verified for").select_option(label="30 days")
    before = timezone.now()
    verify.get_by_role("button", name="It is right: verify").click()
    until = days_ahead(before, 30)
    expect(page.get_by_role("status")).to_have_text(
        re.compile(
            rf"^\s*Verified “{re.escape(TITLE)}” until "
            rf"({days_ahead(before, 30, 'j F Y')})\.\s*$"
        )
    )
    # The review state in words, not colour alone, with its end date.
    badge = status.locator(".fresh")
    expect(badge).to_have_text(re.compile(rf"^✓ Verified · until ({until})$"))
    expect(badge).not_to_have_text(re.compile("Not verified"))
    about = page.get_by_role("region", name="About")
    expect(about).to_contain_text(
        re.compile(rf"By Wei Chen on {re.escape(day(before))}, valid until")
    )
    expect(about).to_contain_text("Each verification lasts 30 days.")
    steps("verified for 30 days")

    # The artifact and its question link to each other, both ways.
    source = body.locator(".rep-source")
    expect(source).to_have_text(f"Captured from: {TITLE}")
    source.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(f"/q/{solved.question.pk}/")
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    shelf = page.get_by_role("region", name="Repertoire")
    expect(shelf).to_have_text(
        re.compile(rf"^\s*Repertoire\s+Captured in: {re.escape(TITLE)}\s*$")
    )
    expect(shelf.get_by_role("button")).to_have_count(0)
    steps("question shows where it was captured")
    shelf.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(f"/r/{artifact.pk}/")
    expect(status.locator(".fresh")).to_contain_text("Verified")

    # The history: two revisions, the newest with its message.
    body.get_by_role("link", name="History", exact=True).click()
    expect(
        page.get_by_role("heading", name=f"History of “{TITLE}”", level=1)
    ).to_be_visible()
    revisions = page.locator(".rep-revisions > li")
    expect(revisions).to_have_count(2)
    expect(revisions.first).to_contain_text(
        in_order("Revision 2", "Current", MESSAGE, "Wei Chen")
    )
    expect(revisions.nth(1)).to_contain_text(
        in_order("Revision 1", "Captured from a solved question")
    )
    steps("history")
    compare = page.get_by_role("form", name="Compare two revisions")
    compare.get_by_label("From").select_option(label="Revision 1")
    compare.get_by_label("To").select_option(label="Revision 2")
    compare.get_by_role("button", name="Compare").click()

    # The added line is marked as inserted, nothing as removed.
    expect(
        page.get_by_role("heading", name="From revision 1 to revision 2")
    ).to_be_visible()
    changes = page.get_by_role("group", name="Text changes")
    added = changes.locator("ins")
    expect(added.filter(has_text=STEP)).to_have_text(f"Added: {STEP}")
    expect(changes.locator("del")).to_have_count(0)
    expect(changes).to_contain_text(ANSWER)  # the source, unchanged
    expect(page.get_by_role("group", name="Title changes")).to_have_count(0)
    steps("diff of revision 1 and 2")

    # Bring back revision 1: the page says what would go, then does it.
    page.get_by_role("link", name="Bring back revision 1…").click()
    expect(
        page.get_by_role("heading", name="Bring back revision 1?", level=1)
    ).to_be_visible()
    expect(page.locator("main")).to_contain_text("saved as a new revision, 3")
    would = page.get_by_role(
        "region", name=re.compile("What would change")
    ).get_by_role("group", name="Text changes")
    expect(would.locator("del").filter(has_text=STEP)).to_have_text(
        f"Removed: {STEP}"
    )
    expect(would.locator("ins")).to_have_count(0)
    steps("revert asks first")
    page.get_by_role("button", name="Bring back revision 1").click()
    expect(page.get_by_role("status")).to_have_text(
        "Brought back revision 1, saved as revision 3."
    )
    expect(body.locator(".post-meta")).to_contain_text("Revision 3")
    expect(body.locator(".prose")).to_contain_text("accumulator pre-charge")
    expect(body.locator(".prose")).not_to_contain_text(STEP)
    expect(status.locator(".fresh")).to_contain_text("Verified")
    steps("revision 1 brought back")
    body.get_by_role("link", name="History", exact=True).click()
    expect(revisions).to_have_count(3)
    expect(revisions.first).to_contain_text(
        in_order("Revision 3", "Current", "Reverted to revision 1")
    )
    steps("history after the revert")
    assert js_errors == []

    artifact.refresh_from_db()
    assert (artifact.revision, artifact.body) == (3, original)
    assert artifact.status == ArtifactStatus.PUBLISHED
    assert list(
        artifact.revisions.order_by("number").values_list("number", "body")
    ) == [
        (1, original),
        (2, original.replace(ANSWER, f"{ANSWER}\n\n{STEP}")),
        (3, original),
    ]


# --- two editors cross --------------------------------------------------

CHECKLIST = (
    "Before the first stroke after a die change:\n\n"
    "- lock out the press\n"
    "- clean the bolster plate"
)
TORQUE = "- torque the die clamps to 120 Nm"
GLOVES = "- wear cut-resistant gloves to handle the die"


@pytest.fixture
def checklist(transactional_db) -> tuple[Artifact, User, User]:
    """A published checklist, its owner and a core member of the same
    community: both may edit it."""
    coordinator = UserFactory(display_name="Ines Duarte")
    community = communities.community_create(
        creator=coordinator,
        name="Press Line Maintenance",
        tagline="Keeping the presses running",
        kind=Kind.PROFESSIONAL,
    )
    owner = member(community, user__display_name="Amara Osei")
    core = member(community, role=Role.CORE, user__display_name="Jonas Berg")
    artifact = repertoire.artifact_create(
        author=owner,
        community=community,
        kind=ArtifactKind.ROUTINE,
        title="Die change checklist for press line 3",
        body=CHECKLIST,
        status=ArtifactStatus.PUBLISHED,
    )
    return artifact, owner, core


@pytest.fixture
def other(
    browser: Browser,
    live_server: LiveServer,
    page: Page,
    request: pytest.FixtureRequest,
) -> Iterator[Page]:
    """A second person's browser beside ``page``, with its own cookies;
    its errors land in the same ``js_errors`` list."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1200, "height": 900}
    )
    context.set_default_timeout(TIMEOUT)
    # As in conftest: no favicon request may reach the live server.
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    try:
        second = context.new_page()
        errors: list[str] = page.js_errors  # type: ignore[attr-defined]
        second.on(
            "pageerror",
            lambda exc: errors.append(f"pageerror (second browser): {exc}"),
        )
        second.on(
            "console",
            lambda msg: (
                errors.append(
                    f"console (second browser): {msg.text} "
                    f"({msg.location.get('url', '')})"
                )
                if msg.type == "error"
                else None
            ),
        )
        yield second
        if request.node.stash.get(FAILED, True):
            shot(page.steps, second, "failure, second browser")  # type: ignore[attr-defined]
    finally:
        context.close()


def shot(steps: Steps, page: Page, name: str) -> None:
    """A step's screenshot of another browser, numbered with the rest."""
    steps.page, mine = page, steps.page
    try:
        steps(name)
    finally:
        steps.page = mine


def open_editor(page: Page, artifact: Artifact) -> None:
    page.goto(f"/r/{artifact.pk}/")
    page.get_by_role("region", name="Manage").get_by_role(
        "link", name="Edit"
    ).click()
    expect(
        page.get_by_role("heading", name=f"Edit: {artifact.title}", level=1)
    ).to_be_visible()
    expect(page.get_by_role("textbox", name="Text")).to_have_value(CHECKLIST)


def test_edit_conflict_keeps_the_second_text(
    page: Page,
    other: Page,
    steps: Steps,
    js_errors: list[str],
    checklist: tuple[Artifact, User, User],
    live_server: LiveServer,
):
    artifact, owner, core = checklist

    # The owner and a core member open the editor on revision 1.
    sign_in(page, owner.email, PASSWORD)
    sign_in(other, core.email, PASSWORD)
    open_editor(page, artifact)
    open_editor(other, artifact)
    steps("owner editing")
    shot(steps, other, "core member editing")

    # The owner saves first.
    page.get_by_role("textbox", name="Text").fill(f"{CHECKLIST}\n{TORQUE}")
    page.get_by_label("What did you change?").fill("Clamp torque")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_have_text("Saved as revision 2.")
    steps("owner saved revision 2")

    # The core member's save is stopped: their text is kept, with what
    # changed meanwhile and the current text beside it.
    mine = f"{CHECKLIST}\n{GLOVES}"
    other.get_by_role("textbox", name="Text").fill(mine)
    other.get_by_label("What did you change?").fill("Gloves")
    other.get_by_role("button", name="Save changes").click()
    conflict = other.get_by_role(
        "region", name="Someone else saved while you were editing"
    )
    expect(conflict).to_contain_text(
        "You started from revision 1; revision 2 is the latest now."
    )
    expect(conflict).to_contain_text("Your text is kept in the form below.")
    changes = conflict.get_by_role("group", name="Text changes")
    expect(changes.locator("ins")).to_have_text([f"Added: {TORQUE}"])
    expect(changes.locator("del")).to_have_count(0)
    expect(
        conflict.get_by_label("The current text (revision 2), to copy from")
    ).to_have_value(f"{CHECKLIST}\n{TORQUE}")
    expect(other.get_by_role("alert")).to_contain_text(
        "Someone else saved revision 2 while you were editing revision 1."
    )
    text = other.get_by_role("textbox", name="Text", exact=True)
    expect(text).to_have_value(mine)
    expect(other.get_by_label("What did you change?")).to_have_value("Gloves")
    shot(steps, other, "conflict shown, text kept")

    # They merge the owner's line into their text and save again.
    text.fill(f"{CHECKLIST}\n{TORQUE}\n{GLOVES}")
    other.get_by_role("button", name="Save my merged text").click()
    expect(other.get_by_role("status")).to_have_text("Saved as revision 3.")
    items = other.locator(".rep-body .prose li")
    expect(items).to_have_text(
        [
            "lock out the press",
            "clean the bolster plate",
            TORQUE[2:],
            GLOVES[2:],
        ]
    )
    shot(steps, other, "merged text saved as revision 3")
    assert js_errors == []

    artifact.refresh_from_db()
    assert artifact.revision == 3
    assert list(
        artifact.revisions.order_by("number").values_list(
            "number", "author__display_name", "message"
        )
    ) == [
        (1, "Amara Osei", "Created"),
        (2, "Amara Osei", "Clamp torque"),
        (3, "Jonas Berg", "Gloves"),
    ]
