"""Browser tests in Debian's Chromium, driven by Playwright against a live server on
127.0.0.1, with axe-core (bundled by axe-playwright-python) on every page visited.

Without /usr/bin/chromium the tests are skipped with a loud notice; under CI they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tillit.conftest import *  # noqa: F403  (personas and the fast password hasher)
from tillit.factories import TEST_PASSWORD

# Playwright's sync API runs an event loop in this thread; the live server's ORM calls
# happen in their own thread, so Django's async-safety check does not apply here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = TEST_PASSWORD
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Rules we knowingly do not meet, each with its reason. Keep this empty.
AXE_EXCEPTIONS: dict[str, str] = {}


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError("CI must run the browser tests, but /usr/bin/chromium is missing")
    skip = pytest.mark.skip(reason="Chromium not installed: browser tests SKIPPED")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):  # type: ignore[no-untyped-def]
    if not CHROMIUM.exists():
        terminalreporter.write_line(
            "!!! BROWSER TESTS SKIPPED: /usr/bin/chromium is missing "
            "(apt-get install chromium) !!!",
            red=True,
            bold=True,
        )


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    args = [
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
    ]
    if os.geteuid() == 0:
        args.append("--no-sandbox")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=args
        )
        yield browser
        browser.close()


def _page(browser, **context_options):  # type: ignore[no-untyped-def]
    context = browser.new_context(**context_options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    # Whatever the Content-Security-Policy refuses (an inline style or script, a resource
    # from elsewhere) Chromium reports on the console: a test that saw one fails.
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            page.csp_violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return context, page


def _close(context, page) -> None:  # type: ignore[no-untyped-def]
    violations = page.csp_violations
    context.close()
    assert not violations, "\n".join(violations)


@pytest.fixture
def page(browser, live_server):  # type: ignore[no-untyped-def]
    context, page = _page(browser, viewport={"width": 1280, "height": 800}, locale="en-GB")
    yield page
    _close(context, page)


@pytest.fixture
def phone(browser, live_server):  # type: ignore[no-untyped-def]
    context, page = _page(
        browser,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        locale="sv-SE",
    )
    yield page
    _close(context, page)


def check_a11y(page) -> None:  # type: ignore[no-untyped-def]
    """axe-core on the page as it is now: no WCAG 2.1 A/AA violation outside the list."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]}
    )
    found = [v for v in results.response["violations"] if v["id"] not in AXE_EXCEPTIONS]
    assert not found, f"{page.url}\n" + "\n".join(
        f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:5]}" for v in found
    )


def visit(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    check_a11y(page)


def log_in(page, base: str, username: str, language: str = "en", password: str = PASSWORD) -> None:  # type: ignore[no-untyped-def]
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    visit(page, f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
