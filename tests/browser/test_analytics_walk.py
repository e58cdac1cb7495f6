"""The analytics walk: a coordinator opens the community's health page,
reads a figure in a chart and in the table, records a value story that
links an artifact (a link she may not see is refused first), opens the
artifact from the story, and features the story."""

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from practica.accounts.models import User
from practica.communities import services as communities
from practica.communities.models import Community, Kind, Role
from practica.repertoire.models import Artifact
from tests.analytics.factories import artifact, question
from tests.browser.conftest import Steps, sign_in
from tests.factories import PASSWORD, CommunityFactory, UserFactory, member


@dataclass
class World:
    community: Community
    coordinator: User
    checklist: Artifact
    hidden: Artifact


@pytest.fixture
def world(transactional_db) -> World:
    coordinator = UserFactory(display_name="Ines Duarte")
    community = communities.community_create(
        creator=coordinator,
        name="Press Line Maintenance",
        tagline="Keeping the presses running",
        kind=Kind.PROFESSIONAL,
    )
    asker = member(community, user__display_name="Wei Chen")
    expert = member(community, user__display_name="Amara Osei")
    last_month = timezone.now() - timedelta(days=35)
    for i in range(3):
        asked = last_month + timedelta(days=i)
        question(
            asker,
            community,
            asked,
            [(expert, asked + timedelta(hours=2))],
            accept=0,
        )
    checklist = artifact(expert, community, title="Die change checklist")
    # A draft in another community's repertoire she cannot open.
    other = CommunityFactory()
    hidden = artifact(
        member(other, Role.COORDINATOR), other, title="Secret", status="draft"
    )
    return World(community, coordinator, checklist, hidden)


def test_health_story_feature(
    page: Page, steps: Steps, js_errors: list[str], world: World
):
    slug = world.community.slug
    sign_in(page, world.coordinator.email, PASSWORD)
    page.goto(f"/c/{slug}/health/")
    expect(
        page.get_by_role("heading", name=f"Health of {world.community.name}")
    ).to_be_visible()
    # The chart of questions asked carries its numbers as text, and the
    # table holds the same figure.
    card = page.get_by_role("region", name="Questions asked")
    expect(card.locator("svg[role=img]")).to_be_visible()
    expect(card.locator("svg title")).to_have_text(
        "Questions asked, per month"
    )
    total = card.locator("svg desc").text_content() or ""
    assert re.search(r": 3(;|$)", total), total
    page.get_by_text("All figures as a table").click()
    row = page.get_by_role("row", name=re.compile("^Questions asked"))
    expect(row).to_be_visible()
    expect(row.get_by_role("cell", name="3", exact=True)).to_have_count(1)
    expect(page.get_by_text("Cross-department help")).to_be_visible()
    steps("health page")

    # A value story: first with a link she cannot see.
    page.get_by_role("link", name="Tell a value story").first.click()
    page.get_by_label("Title").fill("The press stopped jamming")
    page.get_by_role("radio", name=re.compile("Applied value")).check()
    page.get_by_label("What happened").fill(
        "We followed the **die change checklist** for three weeks."
    )
    page.get_by_label("What difference it made").fill(
        "From two jams a shift to none in a month."
    )
    links = page.get_by_label("Where it came from")
    links.fill(f"artifact:{world.hidden.pk}")
    page.get_by_role("button", name="Save the story").click()
    expect(
        page.get_by_text(f"You cannot link artifact {world.hidden.pk}")
    ).to_be_visible()
    steps("link refused")
    links.fill(f"{page.url.split('/c/')[0]}/r/{world.checklist.pk}/")
    page.get_by_role("button", name="Save the story").click()
    expect(
        page.get_by_role("heading", name="The press stopped jamming")
    ).to_be_visible()
    expect(
        page.get_by_text("Thank you: your story is recorded.")
    ).to_be_visible()
    steps("story saved")

    # She features it; the stories list shows it first, marked.
    page.get_by_role("button", name="Feature this story").click()
    expect(page.get_by_text("Featured: it shows first")).to_be_visible()
    expect(page.get_by_role("button", name="Stop featuring")).to_be_visible()
    page.get_by_role("link", name=re.compile("value stories$")).click()
    first = (
        page.get_by_role("list", name="Value stories")
        .get_by_role("listitem")
        .first
    )
    expect(first).to_contain_text("The press stopped jamming")
    expect(first).to_contain_text("Featured")
    steps("featured")

    # The health page shows the featured story; the story leads to the
    # artifact it cites.
    page.goto(f"/c/{slug}/health/")
    expect(
        page.get_by_role("link", name="The press stopped jamming")
    ).to_be_visible()
    page.get_by_role("link", name="The press stopped jamming").click()
    page.get_by_role("link", name="Die change checklist").click()
    expect(
        page.get_by_role("heading", name="Die change checklist", level=1)
    ).to_be_visible()
    steps("artifact")
    assert js_errors == []
