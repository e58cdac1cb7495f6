"""The foundation walk: a practitioner asks to join a community of
practice, a coordinator admits them, and they find themselves a member."""

import re

import pytest
from playwright.sync_api import Page, expect

from practica.communities import services
from practica.communities.models import Kind, Policy
from tests.browser.conftest import Steps, sign_in, sign_out
from tests.factories import PASSWORD, UserFactory

SHORT = "I review incidents."  # 19 characters: one too few
STATEMENT = (
    "I have led post-incident reviews on the packaging line for six "
    "years and run our blameless review training."
)


@pytest.fixture
def people(transactional_db):
    """A coordinator with an approval community beside two others, and a
    practitioner who belongs to none of them."""
    coordinator = UserFactory(display_name="Amara Osei")
    newcomer = UserFactory(display_name="Wei Chen")
    common = {"creator": coordinator, "kind": Kind.PROFESSIONAL}
    services.community_create(
        name="Incident Review",
        tagline="Learning from incidents without blame",
        policy=Policy.APPROVAL,
        charter="We read **every** incident report together.",
        **common,
    )
    services.community_create(
        name="Lean Practitioners",
        tagline="Kaizen on the shop floor",
        policy=Policy.APPROVAL,
        **common,
    )
    services.community_create(
        name="Gardening Club",
        tagline="Growing vegetables at the plant",
        policy=Policy.OPEN,
        creator=coordinator,
        kind=Kind.SOCIAL,
    )
    return coordinator, newcomer


def test_request_approval_and_membership(
    page: Page, steps: Steps, js_errors: list[str], people
):
    coordinator, newcomer = people

    # The practitioner signs in and browses the directory.
    page.goto("/")
    steps("home, signed out")
    sign_in(page, newcomer.email, PASSWORD)
    expect(page.locator("header")).to_contain_text("Wei Chen")
    steps("signed in")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Communities"
    ).click()
    found = page.get_by_role("list", name="Communities found")
    expect(found.get_by_role("article")).to_have_count(3)
    steps("directory")

    # The kind filter narrows the list in place (htmx), keeping the
    # address; the search box narrows it further.
    page.get_by_label("Kind").select_option(label="Professional")
    expect(page).to_have_url(re.compile(r"[?&]kind=professional\b"))
    expect(found.get_by_role("article")).to_have_count(2)
    expect(found).not_to_contain_text("Gardening Club")
    steps("filtered by kind")
    page.get_by_role("searchbox", name="Name or domain").fill("incident")
    expect(page).to_have_url(re.compile(r"[?&]q=incident\b"))
    expect(found.get_by_role("article")).to_have_count(1)
    expect(found).to_contain_text("Incident Review")
    expect(found).to_contain_text("practitioners, by approval")
    steps("searched for incident")

    # The community page offers a request, not an instant join.
    found.get_by_role("link", name="Incident Review").click()
    expect(
        page.get_by_role("heading", name="Incident Review", level=1)
    ).to_be_visible()
    expect(page.locator(".prose strong")).to_have_text("every")
    you = page.get_by_role("region", name="You and this community")
    expect(you.get_by_role("button", name="Join")).to_have_count(0)
    steps("community page")
    you.get_by_role("link", name="Request to join").click()
    expect(
        page.get_by_role("heading", name="Ask to join Incident Review")
    ).to_be_visible()
    steps("join form")

    # Too short a statement: the form comes back with the error beside
    # the field and what was typed kept.
    statement = page.get_by_label("Your practice")
    statement.fill(SHORT)
    page.get_by_role("button", name="Send my request").click()
    field = page.locator(".field.has-error")
    expect(field.locator(".error")).to_contain_text("at least 20 characters")
    expect(field.get_by_label("Your practice")).to_be_visible()
    statement = page.get_by_label("Your practice")
    expect(statement).to_have_value(SHORT)
    expect(statement).to_have_attribute("aria-invalid", "true")
    expect(statement).to_have_accessible_description(
        re.compile("at least 20 characters")
    )
    steps("statement too short")

    statement.fill(STATEMENT)
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Your request to join Incident Review is with its coordinators"
    )
    you = page.get_by_role("region", name="You and this community")
    expect(you).to_contain_text("waiting for a coordinator")
    expect(you.get_by_role("button", name="Withdraw request")).to_be_visible()
    expect(you.get_by_role("link", name="Request to join")).to_have_count(0)
    steps("request pending")

    # Home lists the request as waiting.
    page.locator("header").get_by_role("link", name="Practica").click()
    asked = page.get_by_role("region", name="My requests")
    expect(asked.get_by_role("listitem")).to_have_count(1)
    expect(asked.get_by_role("listitem")).to_contain_text("Incident Review")
    expect(asked.get_by_role("listitem")).to_contain_text("Waiting")
    steps("home shows the request")
    sign_out(page)
    steps("signed out")

    # The coordinator finds the request waiting on their home page.
    sign_in(page, coordinator.email, PASSWORD)
    queue = page.get_by_role("region", name="Waiting for you")
    expect(queue).to_contain_text("Incident Review: 1 join request")
    expect(queue).to_contain_text("Wei Chen")
    steps("coordinator home")
    queue.get_by_role("link", name=re.compile("Incident Review")).click()
    expect(
        page.get_by_role("heading", name=re.compile("Join requests"))
    ).to_be_visible()
    request = page.get_by_role("article", name="Wei Chen")
    expect(request.locator("blockquote")).to_have_text(STATEMENT)
    expect(request.get_by_label("Admit as")).to_have_value("newcomer")
    tab = page.get_by_role("navigation", name="Incident Review").get_by_role(
        "link", name=re.compile("^Requests")
    )
    expect(tab.locator(".badge")).to_have_text("1")
    steps("requests page")

    # Approving swaps the request for its outcome without leaving the page.
    page.evaluate("window.__stayed = true")
    request.get_by_role("button", name="Approve").click()
    outcome = page.get_by_role("status").filter(has_text="joined")
    expect(outcome).to_have_text(
        "Wei Chen joined Incident Review as a newcomer."
    )
    expect(page.get_by_role("article", name="Wei Chen")).to_have_count(0)
    # The tab's count follows (no one waits now), without a reload.
    expect(tab).to_have_text("Requests")
    expect(tab.locator(".badge")).to_have_count(0)
    assert page.evaluate("window.__stayed") is True, "the page reloaded"
    steps("request approved")
    sign_out(page)

    # The newcomer is now a member, and the community is theirs.
    sign_in(page, newcomer.email, PASSWORD)
    mine = page.get_by_role("region", name="My communities")
    expect(mine.get_by_role("listitem")).to_have_count(1)
    expect(mine.get_by_role("listitem")).to_contain_text("Incident Review")
    expect(mine.get_by_role("listitem")).to_contain_text("Newcomer")
    expect(page.get_by_role("region", name="My requests")).to_contain_text(
        "No requests waiting."
    )
    steps("home as a member")
    mine.get_by_role("link", name="Incident Review").click()
    you = page.get_by_role("region", name="You and this community")
    expect(you).to_contain_text("You are a member")
    expect(you.locator(".badge")).to_have_text("Newcomer")
    expect(you.get_by_role("link", name=re.compile("^Leave"))).to_be_visible()
    expect(you.get_by_role("link", name="Request to join")).to_have_count(0)
    expect(page.get_by_role("region", name="Recent activity")).to_contain_text(
        "Amara Osei welcomed Wei Chen."
    )
    steps("community as a member")
    assert js_errors == []
