import re

from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, UserFactory


def test_sign_in_and_out(page, steps, transactional_db):
    person = UserFactory(display_name="Wei Chen")
    page.goto("/")
    steps("home")
    sign_in(page, person.email, PASSWORD)
    steps("signed in")
    expect(page.locator("header")).to_contain_text("Wei Chen")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    steps("signed out")
    expect(page.locator("header")).not_to_contain_text("Wei Chen")
    expect(
        page.get_by_role("link", name=re.compile("Sign in"))
    ).to_be_visible()
