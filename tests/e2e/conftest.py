"""Browser fixtures live in ``tests/browser.py`` (a plugin shared by every directory)."""

from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, PHONE, save_screenshot  # noqa: F401
