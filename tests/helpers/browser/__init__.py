"""Helpers for the browser tests: Chromium, the live site, and what every page must meet."""

import pytest

# Before the helper modules are imported, so their asserts explain themselves as tests' do.
pytest.register_assert_rewrite(
    "tests.helpers.browser.checks", "tests.helpers.browser.person", "tests.helpers.browser.site"
)
