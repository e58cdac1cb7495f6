"""Playwright driving Debian's Chromium against a live Practica.

Each test gets a fresh browser context; ``steps`` takes a screenshot per
step, and the screenshots are kept under ``test-results/browser/`` only
when the test fails. ``js_errors`` lists what the page's scripts and
console reported as errors. Chromium resolves no host but the live
server's, so no test reaches the network, even through an <img> a person
wrote.
"""

import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test import testcases
from playwright.sync_api import Browser, Page, expect, sync_playwright

# Playwright's sync API runs an event loop in this thread; the test code
# still talks to the database synchronously, which is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# expect() waits 5 s by default, actions 10 s (below): give both the same
# patience, so a loaded machine slows the suite down instead of failing it.
TIMEOUT = 10_000
expect.set_options(timeout=TIMEOUT)

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
    # Any other host fails at once instead of waiting on DNS.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
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

# On SQLite the tests' database lives in memory, and the live server's
# threads share the test thread's one connection. Two requests at once (a
# page and an htmx poll), or a request while the test reads the database,
# then use that connection together, which SQLite refuses ("bad parameter
# or other API misuse": a 500 now and then). So the server answers one
# request at a time, and the test thread's queries wait for it. PostgreSQL
# gives every thread its own connection and needs none of this.
_ONE_AT_A_TIME = threading.RLock()


class _SerialServer(ThreadedWSGIServer):
    """Threads per connection (browsers keep connections open), but one
    request inside the application at a time."""

    def get_app(self) -> Callable[..., Any]:
        app = super().get_app()

        def serial(environ: Any, start_response: Any) -> Any:
            with _ONE_AT_A_TIME:
                return app(environ, start_response)

        return serial


testcases.LiveServerThread.server_class = _SerialServer


def _serial_query(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
    with _ONE_AT_A_TIME:
        return execute(sql, params, many, context)


@pytest.fixture(autouse=True)
def _serial_sqlite() -> Iterator[None]:
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    connection.execute_wrappers.append(_serial_query)
    yield
    connection.execute_wrappers.remove(_serial_query)


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
    # The first request in a process imports every app's views and API;
    # pay that here, not inside a page's timeout.
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018
    import practica.api.api  # noqa: F401

    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1200, "height": 900}
    )
    context.set_default_timeout(TIMEOUT)
    # Practica has no favicon: Chromium's request for one would 404 into
    # the console and reach Django, and thereby the in-memory SQLite
    # connection the live server shares with the test, at a moment of
    # its own choosing. Answer it here instead.
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    try:
        page = context.new_page()
        folder = RESULTS / re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        shutil.rmtree(folder, ignore_errors=True)
        page.steps = Steps(page, folder)  # type: ignore[attr-defined]
        errors: list[str] = []
        page.js_errors = errors  # type: ignore[attr-defined]
        page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
        page.on(
            "console",
            lambda msg: (
                errors.append(
                    f"console: {msg.text} ({msg.location.get('url', '')})"
                )
                if msg.type == "error"
                else None
            ),
        )
        yield page
        if request.node.stash.get(FAILED, True):
            page.steps("failure")  # type: ignore[attr-defined]
        else:
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        context.close()


@pytest.fixture
def steps(page: Page) -> Steps:
    return page.steps  # type: ignore[attr-defined,no-any-return]


@pytest.fixture
def js_errors(page: Page) -> list[str]:
    """Uncaught exceptions and console errors, as they happen."""
    return page.js_errors  # type: ignore[attr-defined,no-any-return]


def sign_in(page: Page, email: str, password: str) -> None:
    """Sign in through the real form; fails unless it worked."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    # The header's Sign out button proves the new page is in and signed in.
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page: Page) -> None:
    """Sign out with the header's button; fails unless it worked."""
    page.get_by_role("button", name="Sign out").click()
    expect(
        page.locator("header").get_by_role("link", name="Sign in")
    ).to_be_visible()
