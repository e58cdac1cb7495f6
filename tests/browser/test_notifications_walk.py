"""The notifications walk: a member follows a tag; someone asks a
question with it; the fan-out runs; the header's bell, polling, shows 1;
the member opens the inbox and, from it, the question, which leaves the
bell empty. Then the @mention autocomplete, by keyboard."""

import re
from dataclasses import dataclass

import pytest
from django.urls import get_resolver
from playwright.sync_api import Page, expect

from practica.accounts.models import User
from practica.communities import services as communities
from practica.communities.models import Community, Kind
from practica.conversations import services as conversations
from practica.conversations.models import Tag
from practica.notifications import fanout
from tests.browser.conftest import Steps, sign_in
from tests.conversations.factories import ask
from tests.factories import PASSWORD, UserFactory, member

TITLE = "Accumulator pre-charge drifts after a cold night"


@dataclass
class People:
    community: Community
    tag: Tag
    reader: User
    asker: User


@pytest.fixture
def people(transactional_db, settings) -> People:
    settings.NOTIFICATIONS_SETTLE_SECONDS = 0
    # Import every app's views now (the analytics ones bring scipy), not
    # in the first page load the browser waits for.
    get_resolver().url_patterns  # noqa: B018
    coordinator = UserFactory(display_name="Ines Duarte")
    community = communities.community_create(
        creator=coordinator,
        name="Press Line Maintenance",
        tagline="Keeping the presses running",
        kind=Kind.PROFESSIONAL,
    )
    tag = conversations.tag_create(
        actor=coordinator, community=community, name="Hydraulics"
    )
    reader = member(community, user__display_name="Amara Osei")
    asker = member(community, user__display_name="Wei Chen")
    return People(community, tag, reader, asker)


def bell(page: Page):
    return page.locator("header #bell")


def test_follow_a_tag_then_the_bell_then_the_question(
    page: Page, steps: Steps, js_errors: list[str], people: People
):
    sign_in(page, people.reader.email, PASSWORD)
    # Time in the page is ours to move from here, so the bell's 30 s
    # poll can be seen without waiting for it.
    page.clock.install()
    expect(bell(page)).to_have_text("Inbox")
    page.goto(f"/follow/tag/{people.tag.pk}/")
    expect(
        page.get_by_role("heading", name="Follow Hydraulics", level=1)
    ).to_be_visible()
    page.get_by_label("Everything").check()
    page.get_by_role("button", name="Follow").click()
    expect(page.get_by_role("status")).to_contain_text(
        "You follow Hydraulics: everything."
    )
    steps("followed the tag")

    # Someone asks in it, and the fan-out (the worker's job) runs.
    ask(people.asker, people.community, title=TITLE, tags=["Hydraulics"])
    assert fanout.catch_up() == 1
    expect(bell(page)).to_have_text("Inbox")  # not yet polled
    page.clock.run_for(31_000)
    expect(bell(page).locator("[data-unread]")).to_have_text(
        re.compile(r"^\s*:?\s*1\s*unread\s*$")
    )
    steps("the bell shows 1")

    bell(page).get_by_role("link").click()
    expect(page.get_by_role("heading", name="Inbox", level=1)).to_be_visible()
    thread = page.get_by_role("list", name="Notifications by thread")
    expect(thread.get_by_role("listitem").first).to_contain_text(
        "Wei Chen asked"
    )
    steps("inbox")
    thread.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(bell(page)).to_have_text("Inbox")  # read now
    steps("the question")
    assert js_errors == []


def test_mention_autocomplete_by_keyboard(
    page: Page, js_errors: list[str], people: People
):
    UserFactory(display_name="Adaeze Nwosu")
    sign_in(page, people.reader.email, PASSWORD)
    page.goto("/inbox/")
    # The apps' Markdown fields carry data-mentions; one stands in here.
    page.evaluate(
        """() => {
          const t = document.createElement("textarea");
          t.setAttribute("data-mentions", "");
          t.setAttribute("aria-label", "Reply");
          document.querySelector("main").appendChild(t);
        }"""
    )
    box = page.get_by_role("textbox", name="Reply")
    box.click()
    box.press_sequentially("Thanks @ada")
    listbox = page.get_by_role("listbox", name="People to mention")
    expect(listbox).to_be_visible()
    option = listbox.get_by_role("option", name=re.compile("Adaeze Nwosu"))
    expect(option).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("Enter")
    expect(box).to_have_value("Thanks @adaeze-nwosu ")
    expect(listbox).to_be_hidden()
    box.press_sequentially("and @wei")
    expect(listbox.get_by_role("option")).to_have_count(1)
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_value("Thanks @adaeze-nwosu and @wei")
    assert js_errors == []
