"""The browser tests' fixtures: the system Chromium, and maca served live for a whole test module.

A module's tests share one live server and one database, in order: each test is one person's part of the same audit,
carrying on where the one before left off. At the end of the module the database is emptied again, as for any test
that commits (pytest-django's `transactional_db` does the same).
"""

import threading
import time
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import override_settings
from playwright.sync_api import Browser, sync_playwright
from pytest_django.live_server_helper import LiveServer

from maca.tests.browser.browsing import launch


def _wait_for_requests_to_finish(seconds: float = 10) -> None:
    """Let the server's request threads end (the browsers have closed their connections): each closes its own
    database connection as it ends, and PostgreSQL will not drop a test database someone is still connected to."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any("process_request_thread" in thread.name for thread in threading.enumerate()):
            return
        time.sleep(0.05)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def _django_db_helper(django_db_setup: None) -> None:
    """The browser tests are marked `django_db` so that the test database is made for them, but it is not emptied
    or rolled back after each test: the module's tests are one journey. (This overrides pytest-django's own.)"""


@pytest.fixture(scope="module")
def live(django_db_setup: None, django_db_blocker) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    """maca on a local port, its database open to the module's tests, emptied when they are done."""
    assert "memory" in connection.settings_dict["NAME"] or connection.settings_dict["NAME"].startswith("test_"), (
        "the browser tests must run on the test database: mark them `pytest.mark.django_db`"
    )
    with (
        django_db_blocker.unblock(),
        pytest.MonkeyPatch.context() as patch,
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        # Playwright's synchronous API runs an event loop in this thread, which Django takes for async code: the
        # tests' own few queries (setting up, checking what was saved) are synchronous all the same.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        server = LiveServer("localhost")
        try:
            yield server
        finally:
            _wait_for_requests_to_finish()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)
            # Playwright runs the tests' code in its own greenlet, and Django keeps a connection per context: close
            # this one where it was used, or PostgreSQL will not drop the test database at the end of the run.
            connections.close_all()
