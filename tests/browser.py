"""Browser fixtures for every browser test (registered in ``tests/conftest.py``): headless Debian Chromium driven by Playwright.

Playwright cannot download its own browsers here, so ``browser`` launches
``/usr/bin/chromium`` (skipping, with a clear message, when it is missing). ``page`` is a
phone-sized tab (360 × 740, the cheap Android phones citizens use); ``screenshot(page,
name)`` saves a full-page PNG under ``test-artifacts/`` (git-ignored) for people to look at.
One Chromium serves the whole session: Playwright's sync API cannot run two at once in a
thread. Tests use pytest-django's ``live_server`` and seed what they need inside the test.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("MOTCUA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
PHONE = {"width": 360, "height": 740}
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    if not CHROMIUM.exists():
        pytest.skip(f"Browser tests need Chromium at {CHROMIUM} (apt-get install chromium); not found.")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Browser tests need the playwright package.")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh phone-sized tab (360 × 740), Vietnamese, in the legal time zone."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="vi-VN",
                                  timezone_id="Asia/Ho_Chi_Minh", is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def save_screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Save ``page`` as ``test-artifacts/<name>.png`` and return the path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / (re.sub(r"[^\w.-]+", "-", name) + ".png")
    page.screenshot(path=str(path), full_page=full_page)
    return path


@pytest.fixture
def screenshot():
    """``screenshot(page, "name")`` → ``test-artifacts/name.png``."""
    return save_screenshot
