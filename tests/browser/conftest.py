"""Playwright driving Debian's Chromium against a live Practica.

Each test gets a fresh browser context; ``steps`` takes a screenshot per
step, and the screenshots are kept under ``test-results/browser/`` only
when the test fails.
"""

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API runs an event loop in this thread; the test code
# still talks to the database synchronously, which is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PRACTICA_CHROMIUM", "/usr/bin/chromium")
RESULTS = Path(__file__).resolve().parents[2] / "test-results" / "browser"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):  # type: ignore[no-untyped-def]
    report = yield
    if report.when == "call":
        item.stash[FAILED] = report.failed
    return report


FAILED = pytest.StashKey[bool]()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=ARGS, headless=True
        )
        yield browser
        browser.close()


class Steps:
    """Screenshots, one per step, named in order."""

    def __init__(self, page: Page, folder: Path):
        self.page, self.folder, self.count = page, folder, 0

    def __call__(self, name: str) -> None:
        self.count += 1
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        self.folder.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(
            path=self.folder / f"{self.count:02d}-{slug}.png", full_page=True
        )


@pytest.fixture
def page(browser: Browser, live_server, request) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1200, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    folder = RESULTS / re.sub(r"[^\w.-]+", "_", request.node.nodeid)
    shutil.rmtree(folder, ignore_errors=True)
    page.steps = Steps(page, folder)  # type: ignore[attr-defined]
    yield page
    if request.node.stash.get(FAILED, True):
        page.steps("failure")  # type: ignore[attr-defined]
    else:
        shutil.rmtree(folder, ignore_errors=True)
    context.close()


@pytest.fixture
def steps(page: Page) -> Steps:
    return page.steps  # type: ignore[attr-defined,no-any-return]


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    page.wait_for_load_state()
