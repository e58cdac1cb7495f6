"""The question walk: a member asks, the pages suggest who might know and
the asker asks one of them; an experienced member and a newcomer answer,
a third member votes, and the asker accepts the answer that solved it."""

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Locator, Page, expect

from practica.accounts import services as accounts
from practica.accounts.models import User
from practica.communities import services as communities
from practica.communities.models import Community, Kind, Role
from practica.conversations import services as conversations
from tests.browser.conftest import Steps, sign_in, sign_out
from tests.conversations.factories import answer, ask
from tests.factories import PASSWORD, UserFactory, member

SHORT = "Oil leak"  # 8 characters: two too few
TITLE = "Hydraulic pressure drops on press 4 after an hour"
BODY = (
    "Since the seals were changed, **press 4** loses about 20 bar once "
    "the oil is warm.\n\n"
    "- the pump was checked last week\n"
    "- the relief valve is new"
)
EARLIER = "Hydraulic press loses pressure after warm-up"
PRACTICE = "Rebuilt the press 4 hydraulics twice since 2019"
AMARA = (
    "Check the **accumulator pre-charge**: with warm oil a low pre-charge "
    "shows up exactly like this. Ours was at 60 bar instead of 90."
)
LENA = (
    "Could it be the oil grade? I read that thinner oil runs hot and "
    "lets the pressure drop."
)


@dataclass
class People:
    community: Community
    asker: User
    expert: User  # expert, endorsed, one accepted answer already
    helper: User  # competent, available to help
    newcomer: User  # no recorded practice


@pytest.fixture
def people(transactional_db) -> People:
    coordinator = UserFactory(display_name="Ines Duarte")
    community = communities.community_create(
        creator=coordinator,
        name="Press Line Maintenance",
        tagline="Keeping the presses running",
        kind=Kind.PROFESSIONAL,
    )
    asker = member(community, user__display_name="Wei Chen")
    expert = member(community, user__display_name="Amara Osei")
    helper = member(
        community,
        user__display_name="Jonas Berg",
        user__available_to_help=True,
    )
    newcomer = member(
        community, role=Role.NEWCOMER, user__display_name="Lena Park"
    )

    # Two members have practice in hydraulics, the tag's skill.
    found = accounts.expertise_set(
        actor=expert, person=expert, skill="Hydraulics", level=5, years=12
    )
    for endorser in (coordinator, helper):
        accounts.expertise_endorse(actor=endorser, expertise=found)
    accounts.expertise_set(
        actor=helper, person=helper, skill="Hydraulics", level=3, years=4
    )
    conversations.tag_create(
        actor=coordinator,
        community=community,
        name="Hydraulics",
        skill="hydraulics",
    )
    conversations.tag_create(
        actor=coordinator, community=community, name="Press 4"
    )

    # An earlier question, solved by the expert: the similar-questions
    # box should find it while the asker types.
    earlier = ask(coordinator, community, title=EARLIER, tags=["Hydraulics"])
    solution = answer(expert, earlier)
    conversations.reply_accept(actor=coordinator, reply=solution)
    return People(community, asker, expert, helper, newcomer)


def open_community(page: Page, name: str, link: str = "") -> None:
    """From the home page's "My communities" to the community's page,
    then on to its questions ``link`` if one is named."""
    page.locator("header").get_by_role("link", name="Practica").click()
    page.get_by_role("region", name="My communities").get_by_role(
        "link", name=name
    ).click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    if link:
        page.get_by_role(
            "navigation", name="Questions and discussions"
        ).get_by_role("link", name=link).click()


def answer_by(page: Page, name: str) -> Locator:
    return page.locator("#answers").get_by_role(
        "article", name=re.compile(f"by {re.escape(name)}$")
    )


def stay(page: Page) -> None:
    """Mark the document, so `stayed` can tell an htmx swap from a load."""
    page.evaluate("window.__stayed = true")


def stayed(page: Page) -> None:
    assert page.evaluate("window.__stayed") is True, "the page reloaded"


def test_ask_answer_accept(
    page: Page, steps: Steps, js_errors: list[str], people: People
):
    community = people.community.name

    # The asker goes to their community and opens the ask form.
    sign_in(page, people.asker.email, PASSWORD)
    steps("asker signed in")
    open_community(page, community, "Ask a question")
    expect(
        page.get_by_role("heading", name="Ask a question", level=1)
    ).to_be_visible()
    expect(page.get_by_label("Question")).to_be_checked()
    steps("ask form")

    # Too short a title: the form comes back with the error beside the
    # title and everything typed kept.
    title = page.get_by_role("textbox", name="Title", exact=True)
    title.fill(SHORT)
    page.get_by_label("Details").fill(BODY)
    page.get_by_label("Tags").fill("Hydraulics, Press 4")
    page.get_by_role("button", name="Post").click()
    field = page.locator(".field.has-error")
    expect(field).to_have_count(1)
    expect(field.locator(".error")).to_have_text(
        "Title is 8 characters; write at least 10 so people can tell what "
        "it is about."
    )
    title = field.get_by_role("textbox", name="Title", exact=True)
    expect(title).to_have_value(SHORT)
    expect(page.get_by_label("Details")).to_have_value(BODY)
    expect(page.get_by_label("Tags")).to_have_value("Hydraulics, Press 4")
    steps("title too short")

    # Typing a real title brings up the earlier, solved question.
    title.clear()
    title.press_sequentially(TITLE)
    similar = page.locator("#similar")
    expect(similar).to_contain_text("These look similar")
    hit = similar.get_by_role("listitem").filter(has_text=EARLIER)
    expect(hit.get_by_role("link", name=EARLIER)).to_be_visible()
    expect(hit).to_contain_text("✓ Solved")
    expect(hit).to_contain_text("1 reply")
    steps("similar questions")

    page.get_by_role("button", name="Post").click()
    expect(page.get_by_role("status")).to_have_text("Your question is posted.")
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    question = page.locator("#question")
    expect(question.locator(".prose strong")).to_have_text("press 4")
    expect(question.locator(".prose li")).to_have_count(2)
    expect(
        question.get_by_role("list", name="Tags").get_by_role("link")
    ).to_have_text(["Hydraulics", "Press 4"])

    # Who might know: both practitioners, the expert first, with reasons.
    who = page.get_by_role("region", name="Who might know")
    expect(who.locator(".who-name > a")).to_have_text(
        ["Amara Osei", "Jonas Berg"]
    )
    amara = who.locator(".who-list > li").filter(has_text="Amara Osei")
    jonas = who.locator(".who-list > li").filter(has_text="Jonas Berg")
    expect(amara.locator(".who-reasons li")).to_have_text(
        [
            "expert in Hydraulics, 12 years, endorsed by 2",
            re.compile(r"^1 accepted answer on Hydraulics"),
        ]
    )
    expect(jonas.locator(".who-reasons li")).to_have_text(
        ["competent in Hydraulics, 4 years", "available to help"]
    )
    steps("posted, who might know")

    # Asking Amara directly changes her row in place.
    stay(page)
    who.get_by_role("button", name="Ask Amara Osei").click()
    expect(amara).to_contain_text("✓ Asked")
    expect(who.get_by_role("button", name="Ask Amara Osei")).to_have_count(0)
    expect(who.get_by_role("button", name="Ask Jonas Berg")).to_be_visible()
    stayed(page)
    steps("asked amara")
    sign_out(page)

    # Amara finds the question among the unanswered ones and answers
    # from her practice.
    sign_in(page, people.expert.email, PASSWORD)
    open_community(page, community, "Unanswered")
    queue = page.get_by_role("list", name=f"Unanswered in {community}")
    expect(queue.get_by_role("listitem")).to_have_count(1)
    steps("unanswered list")
    queue.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.locator(".conv-notice")).to_have_count(0)
    page.get_by_role("textbox", name="Your answer").fill(AMARA)
    page.get_by_label("From your practice").fill(PRACTICE)
    steps("amara writes")
    page.get_by_role("button", name="Post your answer").click()
    expect(page.get_by_role("status")).to_have_text(
        "Your answer is posted. Thank you."
    )
    expect(page.locator("#answers-h")).to_have_text("1 answer")
    mine = answer_by(page, "Amara Osei")
    expect(mine.locator(".prose strong")).to_have_text(
        "accumulator pre-charge"
    )
    expect(mine.locator(".experience")).to_have_text(
        f"From practice: {PRACTICE}"
    )
    expect(mine.locator(".not-practice")).to_have_count(0)
    steps("amara answered")
    sign_out(page)

    # Lena, a newcomer with no recorded practice, is told her answer
    # will say so, and it does.
    sign_in(page, people.newcomer.email, PASSWORD)
    open_community(page, community, "All questions and discussions")
    listed = page.get_by_role("list", name=f"Questions in {community}")
    listed.get_by_role("link", name=TITLE).click()
    expect(page.locator(".conv-notice")).to_contain_text(
        "You have no recorded practice in this area yet"
    )
    page.get_by_role("textbox", name="Your answer").fill(LENA)
    steps("lena writes")
    page.get_by_role("button", name="Post your answer").click()
    expect(page.get_by_role("status")).to_have_text(
        "Your answer is posted. Thank you."
    )
    expect(page.locator("#answers-h")).to_have_text("2 answers")
    expect(answer_by(page, "Lena Park").locator(".not-practice")).to_have_text(
        "Not from recorded practice in this area"
    )
    expect(answer_by(page, "Lena Park").locator(".experience")).to_have_count(
        0
    )
    expect(
        answer_by(page, "Amara Osei").locator(".not-practice")
    ).to_have_count(0)
    steps("lena answered")
    sign_out(page)

    # Jonas finds it among the questions for him and votes Lena's answer
    # up, so that by votes it comes first.
    sign_in(page, people.helper.email, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Questions"
    ).click()
    page.get_by_role("list", name="Questions for you").get_by_role(
        "link", name=TITLE
    ).click()
    lena = answer_by(page, "Lena Park")
    stay(page)
    lena.get_by_role("button", name="Vote up").click()
    expect(lena.get_by_role("button", name="Vote up")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(lena.locator(".score")).to_have_text("Score 1")
    stayed(page)
    steps("jonas voted")
    page.reload()
    expect(page.locator("#answers > article")).to_have_count(2)
    expect(page.locator("#answers > article").first).to_have_attribute(
        "aria-label", "Answer by Lena Park"
    )
    steps("most votes first")
    sign_out(page)

    # The asker accepts Amara's answer: it goes on top, marked, though
    # Lena's has more votes.
    sign_in(page, people.asker.email, PASSWORD)
    open_community(page, community, "All questions and discussions")
    row = page.locator(".conv-row").filter(has_text=TITLE)
    expect(row).to_contain_text("2 answers")
    expect(row).not_to_contain_text("Solved")
    row.get_by_role("link", name=TITLE).click()
    answers = page.locator("#answers > article")
    expect(answers.first).to_have_attribute(
        "aria-label", "Answer by Lena Park"
    )
    status = page.locator("#conv-status")
    expect(status).not_to_contain_text("Solved")
    steps("asker sees the answers")
    stay(page)
    answer_by(page, "Amara Osei").get_by_role(
        "button", name="Accept this answer"
    ).click()
    expect(answers.first).to_have_attribute(
        "aria-label", "Accepted solution by Amara Osei"
    )
    accepted = answers.first
    expect(accepted.locator(".accepted-mark")).to_have_text(
        "✓ Accepted solution"
    )
    expect(accepted.locator(".score")).to_have_text("Score 0")
    expect(
        accepted.get_by_role("button", name="Withdraw acceptance")
    ).to_be_visible()
    expect(answers.nth(1)).to_have_attribute(
        "aria-label", "Answer by Lena Park"
    )
    expect(answers.nth(1).locator(".score")).to_have_text("Score 1")
    expect(answers.nth(1).locator(".accepted-mark")).to_have_count(0)
    expect(status.get_by_role("link", name="✓ Solved")).to_be_visible()
    stayed(page)
    steps("accepted")

    # The community's list shows the question solved.
    page.get_by_role("link", name=f"{community}: questions").click()
    row = page.locator(".conv-row").filter(has_text=TITLE)
    expect(row).to_contain_text("✓ Solved")
    steps("solved in the list")
    assert js_errors == []
