"""The Content-Security-Policy holds in a real browser (issue 11 §2): the main pages load in
Chromium without one violation, and the Swagger UI at /api/v1/docs renders with nothing
fetched from outside the server (an install on a closed provincial network has no CDN).

Violations are caught twice: the ``securitypolicyviolation`` events of each document
(listened to by an init script, which the policy does not govern) and Chromium's console
messages ("Refused to …"). Requests to any other origin are recorded and refused.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""
DESK = {"width": 1280, "height": 900}


@pytest.fixture
def watched(browser, live_server):
    """``tab, problems = watched()``: a tab whose CSP violations, console errors and outside requests are recorded."""
    contexts = []

    def make():
        context = browser.new_context(viewport=DESK, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
        context.set_default_timeout(15_000)
        context.add_init_script(LISTEN)
        contexts.append(context)
        here = urlsplit(live_server.url).netloc
        problems = {"console": [], "outside": []}

        def route(r):
            if urlsplit(r.request.url).netloc == here or r.request.url.startswith(("data:", "blob:")):
                r.continue_()
            else:
                problems["outside"].append(r.request.url)
                r.abort()

        context.route("**/*", route)
        tab = context.new_page()
        tab.on("console", lambda m: problems["console"].append(m.text)
               if m.type == "error" or "Content Security Policy" in m.text else None)
        tab.on("pageerror", lambda e: problems["console"].append(f"pageerror: {e}"))
        return tab, problems

    yield make
    for context in contexts:
        context.close()


def visit(tab, problems, url: str) -> None:
    response = tab.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)
    tab.wait_for_load_state("networkidle")
    assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()}, url
    violations = tab.evaluate("window.__cspViolations")
    refused = [t for t in problems["console"] if "Content Security Policy" in t or "Refused to" in t]
    assert violations == [] and refused == [], (url, violations, refused)
    assert problems["console"] == [], (url, problems["console"])
    assert problems["outside"] == [], (url, problems["outside"])


def staff_login(tab, problems, base: str, username: str) -> None:
    """Log a demo officer in through the staff log-in page (itself watched)."""
    visit(tab, problems, base + "/can-bo/dang-nhap/")
    tab.fill("#id_username", username)
    tab.fill("#id_password", "motcua-demo")
    tab.get_by_role("button", name="Đăng nhập").click()
    tab.wait_for_url(re.compile(r".*/can-bo/$"))


def test_main_pages_load_without_a_csp_violation(live_server, watched):
    from motcua.accounts.models import User
    from motcua.demo.catalog import seed_demo
    from motcua.dossiers import intake

    seed_demo()
    dossier = intake.receive_dossier(
        actor=User.objects.get(username="motcua.yt"), procedure_code="1.001193", unit_code="YB.LY.YT",
        channel="direct", applicant={"full_name": "Lò Thị Mai", "id_number": "015090004321", "phone": "0912000111"},
    )
    base = live_server.url
    tab, problems = watched()
    for path in ("/", "/thu-tuc/", "/thu-tuc/1.001193/", "/tra-cuu/", f"/tra-cuu/{dossier.code}/",
                 "/tai-khoan/dang-nhap/", "/can-bo/dang-nhap/"):
        visit(tab, problems, base + path)

    officer, problems = watched()
    staff_login(officer, problems, base, "lanhdao.ly")
    for path in ("/can-bo/", "/can-bo/bao-cao/", "/can-bo/bang-dieu-khien/"):
        visit(officer, problems, base + path)

    counter, problems = watched()
    staff_login(counter, problems, base, "motcua.yt")
    for path in ("/can-bo/", "/can-bo/tiep-nhan/", f"/can-bo/ho-so/{dossier.code}/"):
        visit(counter, problems, base + path)

    # The watch itself sees a violation: an inline script added to the page is refused and reported.
    counter.evaluate("""() => { const s = document.createElement("script"); s.textContent = "window.__ran = 1";
                                document.body.appendChild(s); }""")
    counter.wait_for_function("window.__cspViolations.length > 0")
    assert counter.evaluate("window.__ran") is None
    assert "script-src" in counter.evaluate("window.__cspViolations")[0]
    assert any("Content Security Policy" in t for t in problems["console"])


def test_swagger_ui_renders_offline_under_the_policy(live_server, watched):
    tab, problems = watched()
    visit(tab, problems, live_server.url + "/api/v1/docs")
    tab.wait_for_selector(".swagger-ui .information-container .title", timeout=15_000)
    assert tab.inner_text(".swagger-ui .information-container .title").strip()
    assert tab.locator(".swagger-ui .opblock").count() > 10  # the operations of openapi.json are drawn
    violations = tab.evaluate("window.__cspViolations")
    assert violations == [] and problems["console"] == [] and problems["outside"] == [], (violations, problems)
