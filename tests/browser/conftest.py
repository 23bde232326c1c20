"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's `live_server`.

Every test collected under tests/browser is marked `browser` and runs on a transactional database with
`serialized_rollback`:

* `live_server` serves requests from another thread, so the data a test creates must be committed; that
  needs `transactional_db`, whose teardown empties every table (`flush`).
* A flush also deletes what the migrations wrote: Wagtail's root page, locale and collection, our home page
  and Site (alliance_site 0002) and the role groups with their permissions (alliance_site 0003).
  `serialized_rollback` is Django's own answer: the test database's contents are serialised once, right
  after the migrations ran, and loaded back at the start of each test that asks for it. It restores exactly
  what every migration created, including data later apps' migrations add, so nothing here has to know
  which data migrations exist.
* Django leaves the database flushed after the last such test. `restore_migrated_data` loads the snapshot
  once more when the browser tests are done, so transactional tests that run later in the same session and
  a PostgreSQL test database kept by `--reuse-db` still find the migrated data.

Playwright's sync API keeps an event loop running in the main thread, which makes Django refuse ORM calls
from the test body ("You cannot call this from an async context"); DJANGO_ALLOW_ASYNC_UNSAFE lifts that
check. It is set once collection is finished, before Django creates the test database or Playwright starts,
and only when browser tests were selected, so a `-m "not browser"` run keeps Django's safety check.
`make test-browser` sets it as well.

Chromium comes from Debian's package (/usr/bin/chromium); nothing is downloaded. Without it the tests are
skipped with the reason shown in the summary, except in CI (CI=true), where a missing browser is a failure.
"""

import os
from pathlib import Path

import pytest

BROWSER_DIR = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_MISSING = "Chromium not installed: apt-get install chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT_DIR = BROWSER_DIR.parent.parent / "screenshots"
DESKTOP = {"width": 1280, "height": 900}


def chromium_available():
    return Path(CHROMIUM).exists()


def in_ci():
    return os.environ.get("CI", "").lower() == "true"


def is_browser_test(item):
    return BROWSER_DIR in Path(str(item.path)).parents


def pytest_collection_modifyitems(config, items):
    """Mark the tests of this folder `browser`, transactional with serialized rollback; skip without Chromium.

    This hook sees the whole session's items, so it only touches those collected from tests/browser.
    """
    skip = None if chromium_available() or in_ci() else pytest.mark.skip(reason=CHROMIUM_MISSING)
    for item in items:
        if not is_browser_test(item):
            continue
        item.add_marker(pytest.mark.browser)
        item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))
        if skip is not None:
            item.add_marker(skip)


def pytest_collection_finish(session):
    if any(is_browser_test(item) for item in session.items):
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(scope="package", autouse=True)
def restore_migrated_data(django_db_setup, django_db_blocker):
    """After the last browser test, put back the data the migrations created (see the module docstring)."""
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)


@pytest.fixture(autouse=True)
def fresh_cache():
    """allauth's rate limits and Wagtail's caches live in the (local-memory) cache the live server shares."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def chromium():
    if not chromium_available():
        # Only reachable in CI: elsewhere the tests were skipped at collection.
        pytest.fail(CHROMIUM_MISSING, pytrace=False)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Django keeps database connections in thread-critical storage that switches to a context variable
    # while an event loop runs in the thread, and Playwright's sync API keeps one running from `start()`
    # to `stop()`. Without help, the tests would then open a second connection to the test database,
    # one without the snapshot `serialized_rollback` restores (so the migrated data would be lost
    # after the first test) and one nobody closes. Hand the existing connections to that storage.
    existing = {alias: connections[alias] for alias in connections}
    playwright = sync_playwright().start()
    for alias, connection in existing.items():
        connections[alias] = connection
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture(autouse=True)
def site_address_is_the_live_server(settings, live_server):
    """The live server is the site's public address here: the links the site sends (mail, .ics) lead to it, as in
    production they lead to WAGTAILADMIN_BASE_URL."""
    settings.WAGTAILADMIN_BASE_URL = live_server.url


@pytest.fixture
def browser_context(chromium, live_server):
    """A fresh browser profile per test: Chinese, desktop-sized, pointed at the live server."""
    context = chromium.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport=DESKTOP,
        extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"},
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    return browser_context.new_page()


@pytest.fixture
def sign_in_as(browser_context, live_server):
    """Give the browser a signed-in session for `user` without going through the sign-in form (second factor
    included, as tests/clients.py explains)."""
    from django.conf import settings

    from tests.clients import Client

    def sign_in(user):
        client = Client()
        client.force_login(user)
        browser_context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )

    return sign_in


@pytest.fixture(scope="session")
def screenshot_dir():
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    return SCREENSHOT_DIR
