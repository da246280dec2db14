"""A citizen on a 360 px phone finds birth registration without typing diacritics."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_citizen_finds_birth_registration_by_typing_without_diacritics(live_server, page, screenshot):
    """Search ignores Vietnamese diacritics (CONTRACT §2: `dang ky khai sinh` finds
    "Đăng ký khai sinh"); the procedure page carries a QR code that loads."""
    from playwright.sync_api import expect

    from motcua.demo.catalog import seed_demo

    seed_demo()

    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    search = page.get_by_role("searchbox").first
    search.fill("dang ky khai sinh")
    screenshot(page, "catalog-1-home-360")
    search.press("Enter")

    page.wait_for_url(re.compile(r"/thu-tuc/\?q=dang\+ky\+khai\+sinh"))
    result = page.get_by_role("link", name="Đăng ký khai sinh", exact=True)
    expect(result).to_be_visible()
    screenshot(page, "catalog-2-results-360")
    result.click()

    page.wait_for_url(re.compile(r"/thu-tuc/1\.001193/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký khai sinh")
    qr = page.locator("img#qr")
    qr.scroll_into_view_if_needed()
    expect(qr).to_be_visible()
    page.wait_for_function("() => { const i = document.querySelector('img#qr'); return i.complete && i.naturalWidth > 0; }")
    assert page.evaluate("document.querySelector('img#qr').naturalWidth") > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the page must not scroll sideways at 360 px"
    screenshot(page, "catalog-3-procedure-360")


def test_live_results_update_while_typing(live_server, page, screenshot):
    """With JavaScript, the list narrows as the citizen types (htmx), and the URL follows."""
    from playwright.sync_api import expect

    from motcua.demo.catalog import seed_demo

    seed_demo()
    page.goto(live_server.url + "/thu-tuc/")
    page.wait_for_function("() => window.htmx !== undefined")
    page.locator("#list-q").press_sequentially("chung thuc ban sao", delay=20)
    expect(page.get_by_role("link", name="Chứng thực bản sao từ bản chính giấy tờ, văn bản")).to_be_visible()
    expect(page.get_by_role("link", name="Đăng ký khai sinh", exact=True)).to_have_count(0)
    page.wait_for_url(re.compile(r"q=chung(\+|%20)thuc(\+|%20)ban(\+|%20)sao"))
    screenshot(page, "catalog-4-live-results-360")
