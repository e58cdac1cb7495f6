"""The mentoring walk: a member offers help; a newcomer joins, sees the
pathway and asks for a mentor; the coordinator runs matching and proposes the
pair the engine explains; both accept, a mentorship starts, the first
check-in is recorded and the newcomer's pathway step ticks."""

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from practica.accounts import services as accounts
from practica.communities import services as communities
from practica.communities.models import Community, Kind
from practica.mentoring import services as mentoring
from practica.mentoring.models import Match, Mentorship
from tests.browser.conftest import Steps, sign_in, sign_out
from tests.factories import PASSWORD, UserFactory, member

NEED = "Terraform modules for our test rigs"


@pytest.fixture
def people(transactional_db) -> dict[str, object]:
    coordinator = UserFactory(display_name="Ines Duarte")
    community = communities.community_create(
        creator=coordinator,
        name="Platform Practice",
        tagline="Running the platform well",
        kind=Kind.PROFESSIONAL,
    )
    expert = member(community, user__display_name="Arjun Mehta")
    accounts.expertise_set(
        actor=expert, person=expert, skill="Terraform", level=5, years=9
    )
    newcomer = UserFactory(display_name="Lucas Silva")
    mentoring.pathway_save(
        actor=coordinator,
        community=community,
        title="Welcome to Platform Practice",
        steps=[{"kind": "mentor", "title": "Pair with a mentor"}],
    )
    # Load the URLs and templates once in this process (the live server's
    # thread shares it), so a busy machine does not spend the first
    # page's patience on imports.
    warm = Client()
    warm.get("/accounts/login/")
    warm.force_login(coordinator)
    warm.get(f"/c/{community.slug}/help/board/")
    warm.get(f"/c/{community.slug}/pathway/")
    return {
        "community": community,
        "coordinator": coordinator,
        "expert": expert,
        "newcomer": newcomer,
    }


def test_offer_ask_match_accept_checkin(
    page: Page, steps: Steps, js_errors: list[str], people
):
    community: Community = people["community"]
    help_url = f"/c/{community.slug}/help/"

    # A member offers to mentor in Terraform, Monday mornings.
    sign_in(page, people["expert"].email, PASSWORD)
    page.goto(help_url)
    page.get_by_role("link", name="Offer help", exact=True).click()
    page.get_by_label("Terraform (Expert)").check()
    page.get_by_label("Mentor over weeks").check()
    page.get_by_label("People a month").fill("2")
    page.get_by_label("Availability").fill("Mon 08:00-12:00")
    steps("offer form")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you")
    expect(
        page.locator(".who-list").get_by_text("Arjun Mehta")
    ).to_be_visible()
    steps("offered")
    sign_out(page)

    # A newcomer joins, sees the pathway and asks for a mentor from it.
    sign_in(page, people["newcomer"].email, PASSWORD)
    page.goto(f"/c/{community.slug}/")
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.get_by_role("button", name="Join", exact=True)).to_have_count(
        0
    )
    steps("joined")
    page.goto(f"/c/{community.slug}/pathway/")
    expect(page.get_by_text("0 of 1 steps done.")).to_be_visible()
    steps("pathway before")
    page.get_by_role("link", name="ask for a mentor").click()
    page.get_by_label("What you need help with, in a line").fill(NEED)
    page.get_by_label("Your need, in words").fill(
        "I have never written a module; I would like a mentor for a month."
    )
    page.get_by_label("Terraform", exact=True).check()
    page.get_by_label("How you would like help").select_option("mentor")
    page.get_by_label("When you are free").fill("Mon 10:00-11:00")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=NEED, level=1)).to_be_visible()
    steps("asked")
    sign_out(page)

    # The coordinator runs matching: the engine explains its choice.
    sign_in(page, people["coordinator"].email, PASSWORD)
    page.goto(f"/c/{community.slug}/help/board/")
    row = page.get_by_role("row").filter(has_text=NEED)
    expect(row).to_contain_text("expert in Terraform")
    expect(row).to_contain_text("both in Europe/Berlin")
    expect(row).to_contain_text("1 hour a week when both are free")
    steps("board")
    row.get_by_role("button", name="Propose", exact=True).click()
    expect(row).to_contain_text("are asked to accept")
    steps("proposed")
    assert Match.objects.count() == 1
    sign_out(page)

    # The mentor accepts on their help page (the card swaps in place).
    sign_in(page, people["expert"].email, PASSWORD)
    page.goto("/help/")
    card = page.get_by_role(
        "article", name="Match: Arjun Mehta helps Lucas Silva"
    )
    card.get_by_role("button", name="Accept", exact=True).click()
    expect(card).to_contain_text("Helper: Accepted")
    steps("mentor accepted")
    sign_out(page)

    # The newcomer accepts; the mentorship starts; the first check-in.
    sign_in(page, people["newcomer"].email, PASSWORD)
    page.goto("/help/")
    card = page.get_by_role(
        "article", name="Match: Arjun Mehta helps Lucas Silva"
    )
    card.get_by_role("button", name="Accept", exact=True).click()
    expect(card).to_contain_text("Accepted by both")
    card.get_by_role("link", name="Go to the mentorship").click()
    expect(
        page.get_by_role("heading", name="Arjun Mehta mentors Lucas Silva")
    ).to_be_visible()
    page.get_by_label("What you talked about (both of you see this)").fill(
        "Set up a first module together."
    )
    page.get_by_role("button", name="Record a check-in").click()
    expect(page.get_by_role("status")).to_contain_text("Check-in recorded")
    expect(page.get_by_text("Set up a first module together.")).to_be_visible()
    steps("check-in recorded")
    assert (
        Mentorship.objects.get().checkins.filter(done_at__isnull=False).count()
        == 1
    )

    # The pathway's mentoring step has ticked by itself.
    page.goto(f"/c/{community.slug}/pathway/")
    expect(page.get_by_text("1 of 1 steps done.")).to_be_visible()
    steps("pathway ticked")
    assert js_errors == []
