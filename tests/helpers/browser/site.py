"""Serve the site to Debian's Chromium and watch everything the browser does with it.

The server is Django's live-server thread with static files left to WhiteNoise, the middleware
production serves them with; in the tests it serves static/ as it is (tests/conftest.py).
"""

from __future__ import annotations

import os
import weakref
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test.testcases import LiveServerThread
from django.test.utils import override_settings
from playwright.sync_api import Browser, Page, Route, sync_playwright

from advice.models import Assessment
from advice.services import assessments_delete

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium calls Google's servers, which the test machines cannot reach.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 667}

# Reports what the site's Content-Security-Policy blocks: an inline script or style, a font or
# script from another host.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation(
    `${location.pathname}: ${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` (${event.sourceFile || "page"}:${event.lineNumber})`
  );
}, true);
"""
# Browsers ask for it on their own; the site does not link one.
IGNORED_MISSING = ("/favicon.ico",)


def chromium_path() -> str:
    return os.environ.get("CHROMIUM", "/usr/bin/chromium")


def artifacts_dir() -> Path:
    return Path(settings.BASE_DIR) / "artifacts"


def browser_unavailable(reason: str) -> None:
    """Skip the browser tests, or fail them when REQUIRE_BROWSER=1 (as ``make test`` sets)."""
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}; REQUIRE_BROWSER=1 forbids skipping the browser tests", False)
    pytest.skip(f"{reason} (REQUIRE_BROWSER=1 turns this into a failure)")


@pytest.fixture(scope="module")
def chromium():
    """Launch Chromium once for the module."""
    path = chromium_path()
    if not os.access(path, os.X_OK):
        browser_unavailable(f"no Chromium at {path}: run scripts/install-browser.sh")
    with pytest.MonkeyPatch.context() as env:
        # Playwright's sync API keeps an asyncio loop open in this thread, which Django takes
        # for async code and refuses the ORM. The calls made here are plain synchronous ones.
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
            yield browser
            browser.close()


def _leave_static_to_whitenoise(app):
    return app


@pytest.fixture(scope="module")
def site_url(django_db_setup):
    """Serve the site on localhost for the module; return its origin."""
    # The in-memory SQLite test database exists only on this thread's connection: share it.
    shared = {
        conn.alias: conn
        for conn in connections.all()
        if conn.vendor == "sqlite" and conn.is_in_memory_db()
    }
    server = LiveServerThread(
        "localhost", static_handler=_leave_static_to_whitenoise, connections_override=shared
    )
    server.daemon = True
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "localhost"]):
        for conn in shared.values():
            conn.inc_thread_sharing()
        server.start()
        server.is_ready.wait()
        try:
            if server.error:
                raise server.error
            yield f"http://localhost:{server.port}"
        finally:
            server.terminate()
            for conn in shared.values():
                conn.dec_thread_sharing()


@dataclass
class Watch:
    """Everything one browser context sent and was refused; checked when the test ends."""

    origin: str
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)
    # While an audit runs in the page, what it does is its own, not the site's.
    paused: bool = False

    def route(self, route: Route) -> None:
        request = route.request
        self.requests.append(f"{request.method} {request.url}")
        if request.url.startswith(self.origin + "/"):
            route.continue_()
            return
        if not self.paused:
            self.foreign.append(request.url)
        route.abort("blockedbyclient")

    def response(self, response) -> None:
        request = response.request
        if request.resource_type == "document" or request.url.endswith(IGNORED_MISSING):
            return  # each test checks the status of the pages it opens
        if response.status >= 400 and not self.paused:
            self.broken.append(f"{response.status} {request.url}")

    def request_failed(self, request) -> None:
        if request.resource_type == "document" and request.failure == "net::ERR_ABORTED":
            return  # a page load cut short by the next, as a double click's first submit is
        if request.url.startswith(self.origin + "/") and not self.paused:
            self.broken.append(f"{request.failure} {request.url}")

    def csp_violation(self, text: str) -> None:
        if not self.paused:
            self.csp_violations.append(text)

    def problems(self) -> list[str]:
        return [
            *(f"request to another host: {url}" for url in self.foreign),
            *(f"failed to load: {line}" for line in self.broken),
            *(f"CSP violation: {line}" for line in self.csp_violations),
            *(f"script error: {line}" for line in self.script_errors),
        ]


_watches: weakref.WeakKeyDictionary[Page, Watch] = weakref.WeakKeyDictionary()


@contextmanager
def unwatched(page: Page):
    """Leave out what happens in ``page`` meanwhile, such as axe-core fetching stylesheets."""
    watch = _watches.get(page)
    if watch is None:
        yield
        return
    watch.paused = True
    try:
        yield
    finally:
        watch.paused = False


class Site:
    """The live site, opened in fresh browser contexts (each one a new visitor)."""

    def __init__(self, browser: Browser, url: str):
        self.browser = browser
        self.url = url
        self._pages: list[Page] = []

    def open(self, path: str = "/", *, phone=False, java_script_enabled=True) -> Page:
        """Open ``path`` as a new visitor; fail unless it loads with its stylesheets."""
        options = {"viewport": DESKTOP}
        if phone:
            options = {"viewport": PHONE, "is_mobile": True, "has_touch": True}
            options["device_scale_factor"] = 2
        context = self.browser.new_context(
            base_url=self.url, java_script_enabled=java_script_enabled, **options
        )
        context.set_default_timeout(10_000)
        watch = Watch(self.url)
        context.route("**/*", watch.route)
        context.expose_binding("__cspViolation", lambda _, text: watch.csp_violation(text))
        context.add_init_script(CSP_LISTENER)
        page = context.new_page()
        page.on("response", watch.response)
        page.on("requestfailed", watch.request_failed)
        page.on("pageerror", lambda error: watch.script_errors.append(str(error)))
        _watches[page] = watch
        self._pages.append(page)
        response = page.goto(path)
        assert response is not None and response.ok, f"{path} answered {response.status}"
        assert_stylesheets_loaded(page)
        return page

    def watch(self, page: Page) -> Watch:
        return _watches[page]

    def close(self) -> list[str]:
        """Close every context; return what the watches saw that they should not have."""
        problems = []
        for page in self._pages:
            page.context.close()
            problems += _watches[page].problems()
        return problems


def assert_stylesheets_loaded(page: Page) -> None:
    """Fail unless every stylesheet the page links to loaded and has rules."""
    sheets = page.locator("link[rel=stylesheet]").evaluate_all(
        """links => links.map(link => {
          try { return [link.href, link.sheet ? link.sheet.cssRules.length : 0]; }
          catch (error) { return [link.href, 0]; }  // another origin's sheet: unreadable
        })"""
    )
    assert sheets, "the page links no stylesheet"
    empty = [href for href, rules in sheets if not rules]
    assert not empty, f"stylesheets did not load: {empty}"


@pytest.fixture
def site(site_url, chromium, transactional_db):
    """The live site for one test; fail the test if the browser left the site or broke the CSP."""
    # site_url comes first so that it is torn down last: Chromium's open connections must close
    # before the server stops sharing the test database's connection with its threads.
    site = Site(chromium, site_url)
    yield site
    problems = site.close()
    # The database refuses to delete a review record before its assessment, in whatever order
    # emptying it between tests would take the tables: the assessments go first, as in the app.
    assessments_delete(assessments=Assessment.objects.all())
    assert not problems, "\n".join(problems)
