"""Every absolute link Motcua prints or sends points where the citizen can open it.

CONTRACT §1: ``MOTCUA_PUBLIC_URL`` when set; unset, the address the request came to, and
for background work the address ``motcua serve`` listens on. Read back from what a citizen
gets: the QR image of the procedure page (decoded), the QR codes of the unit poster and the
receipt (PDF), the ``tracking_url`` and ``qr_url`` of the API, and the e-mail.
The live server listens on a random port, never the old hard-coded 8000.
"""

from __future__ import annotations

import json
import urllib.request

import pytest

from django.urls import reverse

from tests.printing.conftest import pdf_reader, qr_modules_in, qr_modules_of
from tests.portal.qr_decode import decode_svg

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC = "https://dichvucong.yenbai.gov.vn"
APPLICANT = {"full_name": "Hoàng Văn Bình", "id_number": "015200001111", "phone": "0912345678",
             "email": "binh@example.vn"}


def fetch(url: str, *, cookie: str = "", token: str = "", body: dict | None = None) -> bytes:
    headers = {}
    if cookie:
        headers["Cookie"] = cookie
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers), timeout=60) as response:
        return response.read()


@pytest.fixture
def site(live_server, client):
    """The live server with the demo data, a counter officer's session cookie and API token."""
    from motcua.accounts.models import ApiToken, User
    from motcua.demo.catalog import seed_demo

    seed_demo()
    officer = User.objects.get(username="motcua.yt")
    client.force_login(officer)
    _, token = ApiToken.issue(officer)
    assert ":8000" not in live_server.url
    return {"url": live_server.url, "cookie": f"sessionid={client.cookies['sessionid'].value}", "token": token}


def links_seen_by_a_citizen(site) -> dict:
    """Take a dossier in through the API and read every link back from what is served."""
    base, cookie, token = site["url"], site["cookie"], site["token"]
    created = json.loads(fetch(base + "/api/v1/dossiers", token=token, body={
        "procedure": "1.004873", "unit": "YB.LY.YT", "channel": "direct", "applicant": APPLICANT}))
    code = created["code"]
    procedure = json.loads(fetch(base + "/api/v1/procedures/1.001193"))
    svg = fetch(base + reverse("portal:procedure_qr", args=["1.001193"])).decode()
    receipt = pdf_reader(fetch(base + reverse("printing:receipt", args=[code]), cookie=cookie))
    poster = pdf_reader(fetch(base + reverse("portal:unit_poster", args=["YB.LY.YT"])))
    # The e-mail is composed while the intake request is served (the outbox row); the worker
    # sends it later, unchanged.
    from motcua.notifications.models import Notification

    messages = list(Notification.objects.filter(dossier__code=code, channel="email", recipient=APPLICANT["email"]))
    return {
        "code": code,
        "tracking_url": created["tracking_url"],
        "qr_url": procedure["qr_url"],
        "page_url": procedure["page_url"],
        "procedure_qr": decode_svg(svg),
        "receipt_qr": qr_modules_in(receipt.pages[0]),
        "receipt_links": [a.get_object()["/A"]["/URI"] for a in receipt.pages[0].get("/Annots", [])
                          if "/A" in a.get_object()],
        "poster_qr": [m for page in poster.pages for m in qr_modules_in(page)],
        "mail": messages[-1].body if messages else "",
    }


def test_with_no_public_address_links_follow_the_address_the_request_came_to(site, settings):
    settings.PUBLIC_URL = ""
    base = site["url"]
    seen = links_seen_by_a_citizen(site)
    tracking = f"{base}/tra-cuu/{seen['code']}/"
    assert seen["tracking_url"] == tracking
    assert seen["qr_url"] == f"{base}/thu-tuc/1.001193/qr.svg"
    assert seen["page_url"] == seen["procedure_qr"] == f"{base}/thu-tuc/1.001193/"
    assert qr_modules_of(tracking) in seen["receipt_qr"] and tracking in seen["receipt_links"]
    assert qr_modules_of(f"{base}/thu-tuc/1.001193/") in seen["poster_qr"]
    assert tracking in seen["mail"]  # composed while the intake request was served


def test_the_configured_public_address_is_printed_everywhere(site, settings):
    settings.PUBLIC_URL = PUBLIC
    seen = links_seen_by_a_citizen(site)
    tracking = f"{PUBLIC}/tra-cuu/{seen['code']}/"
    assert seen["tracking_url"] == tracking
    assert seen["qr_url"] == f"{PUBLIC}/thu-tuc/1.001193/qr.svg"
    assert seen["page_url"] == seen["procedure_qr"] == f"{PUBLIC}/thu-tuc/1.001193/"
    assert qr_modules_of(tracking) in seen["receipt_qr"] and tracking in seen["receipt_links"]
    assert qr_modules_of(f"{PUBLIC}/thu-tuc/1.001193/") in seen["poster_qr"]
    assert tracking in seen["mail"]
    assert site["url"] not in json.dumps({k: v for k, v in seen.items() if isinstance(v, str)})


def test_links_made_without_a_request_use_the_address_serve_listens_on(settings):
    from motcua.links import public_url, serve_url

    settings.PUBLIC_URL = ""
    settings.SERVE_URL = serve_url("127.0.0.1", 8765)
    assert public_url("/tra-cuu/X/") == "http://127.0.0.1:8765/tra-cuu/X/"
    settings.PUBLIC_URL = PUBLIC
    assert public_url("/tra-cuu/X/") == PUBLIC + "/tra-cuu/X/"


@pytest.mark.parametrize("host, port, url", [
    ("127.0.0.1", 8765, "http://127.0.0.1:8765"),
    ("0.0.0.0", "9000", "http://localhost:9000"),
    ("::1", 8001, "http://[::1]:8001"),
    ("::", 8001, "http://localhost:8001"),
    ("dichvucong.local", 80, "http://dichvucong.local:80"),
])
def test_serve_records_the_address_it_listens_on(host, port, url):
    from motcua.links import serve_url

    assert serve_url(host, port) == url
