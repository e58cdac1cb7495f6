"""The claiming walk in a real browser: a coordinator hands an imported
account over from its profile, the owner follows the mailed link, sets a
password and signs in as themselves."""

import re

import pytest
from playwright.sync_api import Page, expect

from practica.communities.models import Role
from practica.core import worker
from tests.browser.conftest import Steps, sign_in, sign_out
from tests.factories import PASSWORD, CommunityFactory, member

pytestmark = pytest.mark.browser
NEW_PASSWORD = "a long new password for the bikes"


@pytest.fixture
def people(transactional_db):
    community = CommunityFactory(name="Bicycles")
    lead = member(community, Role.COORDINATOR, user__display_name="Amara")
    ada = member(community, user__display_name="Ada Imported")
    ada.email = "se-bikes-21@unclaimed.invalid"
    ada.set_unusable_password()
    ada.save()
    return lead, ada


def test_hand_over_and_take_the_account(
    page: Page,
    steps: Steps,
    js_errors: list[str],
    people,
    smtp_sink,
):
    lead, ada = people
    sign_in(page, lead.email, PASSWORD)
    page.goto(f"/people/{ada.pk}/")
    box = page.locator("#claim")
    expect(box).to_contain_text("Imported account — hand it to its owner")
    steps("the imported profile")
    # The browser checks the address's form; the server refuses the rest.
    box.get_by_label("Their email address").fill("ada@unclaimed.invalid")
    box.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".field.has-error")).to_contain_text("real address")
    steps("the error beside the field")
    # The refused form answers 422, which the browser logs; nothing else.
    assert len(js_errors) == 1 and "422" in js_errors[0], js_errors
    js_errors.clear()
    page.get_by_label("Their email address").fill("ada@example.org")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".messages")).to_contain_text(
        "An invitation to set a password went to ada@example.org"
    )
    expect(page.locator("#claim")).to_contain_text("waiting for its owner")
    steps("sent")
    sign_out(page)

    assert worker.drain() == 1
    [message] = smtp_sink.wait(1)
    text = message.get_body(("plain",)).get_content()
    link = re.search(r"http\S+(/welcome/\S+/)", text).group(1)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Welcome, Ada Imported"
    )
    steps("the welcome page")
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set my password and sign in").click()
    expect(page.locator(".messages")).to_contain_text(
        "Welcome, Ada Imported: this account is yours"
    )
    expect(page.locator("header")).to_contain_text("Ada Imported")
    steps("signed in as the imported person")
    sign_out(page)
    sign_in(page, "ada@example.org", NEW_PASSWORD)
    assert js_errors == []
