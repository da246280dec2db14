"""Every public page at phone (360 px) and desktop (1280 px) width: styled, no sideways
scrolling on a phone, touch targets large enough; screenshots in test-artifacts/."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES = [
    ("home", "/"),
    ("list", "/thu-tuc/?q=chung+thuc"),
    ("procedure", "/thu-tuc/2.000815/"),
    ("print", "/thu-tuc/1.001193/in/"),
    ("unit", "/don-vi/YB.LY/?children=1"),
    ("track", "/tra-cuu/{code}/"),
    ("track-missing", "/tra-cuu/?code=KHONG-CO"),
    ("not-found", "/thu-tuc/9.999999/"),
]

SMALL_TARGETS = """() => [...document.querySelectorAll('main a.button, main button, main input, main select, header a, header button')]
  .filter(e => e.offsetParent !== null)
  .map(e => [e.textContent.trim() || e.name || e.id, e.getBoundingClientRect().height])
  .filter(([, h]) => h < 36)"""


def _seed() -> str:
    from motcua.accounts.models import User
    from motcua.demo.catalog import seed_demo
    from motcua.dossiers.intake import receive_dossier

    seed_demo()
    dossier = receive_dossier(
        actor=User.objects.get(username="motcua.yt"), procedure_code="1.001193", unit_code="YB.LY.YT",
        channel="direct", applicant={"full_name": "Lò Văn Páo", "id_number": "014090000321", "phone": "0987654321"},
    )
    return dossier.code


def test_public_pages_fit_a_phone_and_a_desktop(live_server, browser, screenshot):
    code = _seed()
    for width, height in ((360, 740), (1280, 900)):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
        tab = context.new_page()
        for name, path in PAGES:
            tab.goto(live_server.url + path.format(code=code))
            if name != "print":
                background = tab.evaluate("getComputedStyle(document.querySelector('header.top')).backgroundColor")
                assert background == "rgb(11, 83, 148)", f"{name}: site.css not applied"
            scroll_width = tab.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, f"{name} at {width}px scrolls sideways ({scroll_width}px)"
            if width == 360 and name != "print":
                assert tab.evaluate(SMALL_TARGETS) == [], f"{name}: touch targets under 36 px"
            screenshot(tab, f"portal-{name}-{width}")
        context.close()


def test_every_procedure_sheet_prints_on_one_a4_page(live_server, browser):
    """The printable sheet (portal:procedure_print) is one A4 page, QR code included."""
    import io

    from pypdf import PdfReader

    from motcua.demo.catalog import seed_demo
    from motcua.catalog.models import Procedure

    seed_demo()
    tab = browser.new_page()
    too_long = {}
    for code in Procedure.objects.values_list("code", flat=True):
        tab.goto(f"{live_server.url}/thu-tuc/{code}/in/")
        tab.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
        pages = len(PdfReader(io.BytesIO(tab.pdf(format="A4", prefer_css_page_size=True))).pages)
        if pages != 1:
            too_long[code] = pages
    tab.close()
    assert too_long == {}
