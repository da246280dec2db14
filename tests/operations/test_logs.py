"""Logs: one line per request with its request id, text or JSON, and no personal data
(issue #11 §1): no ID number, phone, e-mail address or name, in request lines, error lines
or tracebacks, whatever the level."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import re
import uuid

import pytest
from django.db import connection

from motcua.logging_config import django_logging, redact
from tests.dossiers.data import THREE_DAY_COMMUNE

APPLICANT = {
    "full_name": "Hoàng Thị Mai Phương",
    "id_number": "036190004521",
    "phone": "0987654321",
    "email": "mai.phuong@example.vn",
    "address": "Thôn 3, xã Minh Xuân",
}
SECRETS = [APPLICANT["full_name"], "Hoang Thi Mai Phuong", "Mai Phương", APPLICANT["id_number"],
           APPLICANT["phone"], "987654321", APPLICANT["email"], "mai.phuong"]


@pytest.fixture
def captured_logs(settings):
    """Logging configured as the server configures it (``motcua.logging_config``), at DEBUG,
    with the console handler writing into a buffer: ``captured_logs("json")`` → the buffer."""
    buffers = []

    def configure(fmt: str) -> io.StringIO:
        logging.config.dictConfig(django_logging("DEBUG", fmt, access_log=True))
        buffer = io.StringIO()
        for handler in logging.getLogger().handlers:
            handler.setStream(buffer)
        buffers.append(buffer)
        return buffer

    yield configure
    logging.config.dictConfig(settings.LOGGING)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_whole_journey_logs_no_personal_data(fmt, client, demo, captured_logs, monkeypatch):
    buffer = captured_logs(fmt)
    connection.force_debug_cursor = True  # SQL and its parameters would be logged at DEBUG
    try:
        api = client.__class__()
        # A citizen tries to get a token with a phone number as the user name: refused.
        assert api.post("/api/v1/auth/token", {"username": APPLICANT["phone"], "password": "sai-mat-khau"},
                        content_type="application/json").status_code == 401
        token = api.post("/api/v1/auth/token", {"username": "motcua.yt", "password": "motcua-demo"},
                         content_type="application/json").json()["token"]
        bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        body = {"procedure": THREE_DAY_COMMUNE, "unit": "YB.LY.YT", "channel": "direct", "applicant": APPLICANT}
        r = api.post("/api/v1/dossiers", body, content_type="application/json", **bearer)
        assert r.status_code == 201, r.content
        code = r.json()["code"]
        bad = {**body, "applicant": {**APPLICANT, "phone": APPLICANT["phone"] + "x", "id_number": "12"}}
        assert api.post("/api/v1/dossiers", bad, content_type="application/json", **bearer).status_code == 422
        assert api.get(f"/api/v1/dossiers/{code}", **bearer).status_code == 200

        # The officer searches the workbench by name, ID number and phone (and tries an e-mail).
        from motcua.accounts.models import User

        client.force_login(User.objects.get(username="motcua.yt"))
        for q in (APPLICANT["full_name"], APPLICANT["id_number"], APPLICANT["phone"]):
            r = client.get("/can-bo/", {"q": q})
            assert r.status_code == 200 and code in r.content.decode()
        assert client.get("/can-bo/", {"q": APPLICANT["email"]}).status_code == 200
        assert client.get(f"/can-bo/ho-so/{code}/").status_code == 200

        # Tracking, including someone who types an ID number or a phone where the code goes.
        assert client.get(f"/tra-cuu/{code}/").status_code == 200
        assert client.get(f"/api/v1/public/track/{code}").status_code == 200
        assert client.get("/tra-cuu/", {"code": APPLICANT["id_number"]}).status_code == 404
        assert client.get(f"/tra-cuu/{APPLICANT['phone']}/").status_code == 404
        assert client.get(f"/api/v1/public/track/{APPLICANT['email']}").status_code == 404

        # An error whose message carries the applicant's data, with its traceback.
        import motcua.office.views as office_views

        def broken(request, code):
            # As PostgreSQL words a constraint failure: the row's values in a DETAIL line.
            raise RuntimeError(
                f"cannot show {APPLICANT['id_number']} {APPLICANT['phone']} {APPLICANT['email']}\n"
                f"DETAIL:  Failing row contains (7, {APPLICANT['full_name']}, {APPLICANT['id_number']}, null)."
            )

        monkeypatch.setattr(office_views, "_visible_or_404", broken)
        client.raise_request_exception = False
        assert client.get(f"/can-bo/ho-so/{code}/", {"q": APPLICANT["id_number"]}).status_code == 500
    finally:
        connection.force_debug_cursor = False

    logged = buffer.getvalue()
    for secret in SECRETS:
        assert secret.lower() not in logged.lower(), secret
    lines = logged.splitlines()
    if fmt == "json":
        records = [json.loads(line) for line in lines if line.startswith("{")]
        access = [r for r in records if r["logger"] == "motcua.access"]
        assert all(r["request_id"] != "-" and r["status"] and r["path"] for r in access)
        assert any(r["logger"] == "django.request" and "exc_info" in r and "RuntimeError" in r["exc_info"]
                   for r in records)
        assert any(r.get("path") == "/tra-cuu/[phone]/" for r in access)
    else:
        access = [line for line in lines if "motcua.access" in line]
        assert "Traceback (most recent call last)" in logged and "RuntimeError: cannot show" in logged
        assert any(" GET /tra-cuu/[phone]/ 404 " in line for line in access)
    assert len(access) == 16  # one line per request made above


def test_the_request_id_comes_back_and_labels_the_request_line(client, db, captured_logs):
    buffer = captured_logs("text")
    given = uuid.uuid4().hex
    r = client.get("/api/v1/units", HTTP_X_REQUEST_ID=given)
    assert r["X-Request-ID"] == given
    made = client.get("/api/v1/units")["X-Request-ID"]
    assert uuid.UUID(made) and made != given
    lines = [line for line in buffer.getvalue().splitlines() if "motcua.access" in line]
    assert any(f"[{given}]" in line and "GET /api/v1/units 200" in line for line in lines)
    assert any(f"[{made}]" in line for line in lines)


def test_a_request_id_that_is_not_a_uuid_is_replaced(client, db):
    r = client.get("/api/v1/units", HTTP_X_REQUEST_ID="x\nFAKE LOG LINE")
    assert "FAKE" not in r["X-Request-ID"] and uuid.UUID(r["X-Request-ID"])


def test_json_logs_are_one_object_per_line(client, db, captured_logs):
    buffer = captured_logs("json")
    client.get("/api/v1/units")
    client.get("/khong-co/")
    records = [json.loads(line) for line in buffer.getvalue().splitlines()]
    line = next(r for r in records if r["logger"] == "motcua.access" and r["path"] == "/khong-co/")
    assert {"time", "level", "logger", "request_id", "message", "method", "status", "duration_ms", "route"} <= set(line)
    assert line["status"] == 404 and line["level"] == "INFO"
    assert any(r["logger"] == "django.request" and r["request"] == "GET /khong-co/" for r in records)


# The filter's table (issue 17 §5): personal data by what it is — fields, known values and
# unmistakable shapes — while codes, statuses, times and durations stay whole.
REDACTED = [
    # real phone numbers, as people write them
    ("gọi 0987654321 hoặc 0987 654 321 hoặc 0987.654.321 hoặc +84987654321",
     "gọi [phone] hoặc [phone] hoặc [phone] hoặc [phone]"),
    ("Zalo +84 912 345 678, SĐT:0358123456", "Zalo [phone], SĐT:[phone]"),
    ("máy bàn 02163 852 111 hoặc 02163852111", "máy bàn [phone] hoặc [phone]"),
    ("GET /tra-cuu/0987654321/ 404 3.1ms", "GET /tra-cuu/[phone]/ 404 3.1ms"),
    ("recipient 84912345678 refused", "recipient [phone] refused"),
    # ID numbers: a 12-digit number that starts with a province code, or one named as an ID
    ("CCCD 036190004521 đã có", "CCCD [id] đã có"),
    ("duplicate 001203004567 in line 7", "duplicate [id] in line 7"),
    ("CMND 123456789", "CMND [id]"),
    ("số định danh: 125678901234", "số định danh: [id]"),
    # e-mail addresses
    ("thư mai.phuong+ho-so@example.vn.", "thư [email]."),
    # fields, however they are written
    ('{"applicant": {"full_name": "Hoàng Thị Mai", "phone": "0912 345 678", "id_number": "1234"}}',
     '{"applicant": {"full_name": "[name]", "phone": "[phone]", "id_number": "[id]"}}'),
    ("{'applicant_email': 'x@y', 'address': 'Thôn 3, xã Minh Xuân'}", "{'applicant_email': '[email]', 'address': '[address]'}"),
    ("SoDienThoai=0912345678 SoDinhDanh=036190004521 HoVaTen=Nguyen", "SoDienThoai=[phone] SoDinhDanh=[id] HoVaTen=[name]"),
    ("login: an@example.vn; login=0912345678", "login: [email]; login=[phone]"),
    ("Key (applicant_id_number)=(036190004521) already exists.", "Key (applicant_id_number)=([id]) already exists."),
    ("Key (unit_id, applicant_phone)=(7, 0912345678) already exists.",
     "Key (unit_id, applicant_phone)=([withheld]) already exists."),
    ('null value in column "x"\nDETAIL:  Failing row contains (7, Hoàng Thị Mai Phương, null).\nnext',
     'null value in column "x"\nDETAIL: [withheld]\nnext'),
    # query strings
    ('"GET /can-bo/?q=Hoàng+Thị&trang=2 HTTP/1.1" 200', '"GET /can-bo/?… HTTP/1.1" 200'),
]

KEPT = [
    # dossier codes (the line of issue 17 §5), statuses, times, durations, counts, ids
    "GET /api/v1/public/track/YB.LY.MX-261208-0001 200 12.8ms",
    "GET /tra-cuu/YB.LY.MX-261208-0001/ 200 9.0ms",
    "YB.LY.YT-261201-0001", "000.00.20.H59-260429-0012", "H59.22-260429-0012345678",
    "dossier YB.LY.MX-261208-0001 received → processing at 2026-12-08 07:30:00",
    "2026-12-01T21:17:34+0700", "07:30 08/12/2026", "due 2026-12-21T17:00:00+07:00",
    "GET /api/v1/units 200 12.5ms", "POST /api/v1/dossiers 201 0912.3ms", "took 0987 ms",
    "notification 1234567890 (received) sent", "imported 123456789 bytes in 1000000 lines",
    "request 4d56aef418f74289bc75e02e34bedaa7", "pid 22703", "order MC20261208000123",
    "status=received code=YB.LY.MX-261208-0001 unit=YB.LY.MX", "vnp_TxnRef=20261208073000 vnp_Amount=5000000",
    "max-age=31536000", "Key (code)=(YB.LY.MX-261208-0001) already exists.",
]


@pytest.mark.parametrize("text, expected", REDACTED)
def test_personal_data_is_redacted_by_what_it_is(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", KEPT)
def test_codes_statuses_times_and_ids_are_kept_whole(text):
    assert redact(text) == text


def test_a_requests_own_values_are_redacted_wherever_they_appear(rf, db):
    """Known values: what the request carries in personal fields (any spelling of the
    number), and the logged-in account's own, names included; other text is untouched."""
    from motcua.accounts.models import User
    from motcua.logging_config import KnownValues

    request = rf.post("/api/v1/dossiers", data=json.dumps({"applicant": {
        "full_name": "Hoàng Thị Mai Phương", "phone": "0987654321", "id_number": "036190004521"}}),
        content_type="application/json")
    assert request.body  # read, as the server does before any line is logged
    request._cached_user = User(pk=9, username="u", phone="0912000111", email="me@example.vn", full_name="Lê Văn Tám")
    known = KnownValues(request)
    assert redact("Hoàng Thị Mai Phương (Hoang Thi Mai Phuong) gọi 0987-654-321, 987654321 và 84 987 654 321",
                  known) == "[name] ([name]) gọi [phone], [phone] và [phone]"
    assert redact("số 0361 9000 4521 của lê văn tám, 0912 000 111, ME@example.vn", known) == \
        "số [id] của [name], [phone], [email]"
    assert redact("YB.LY.MX-261208-0001 200 12.8ms Hoàng", known) == "YB.LY.MX-261208-0001 200 12.8ms Hoàng"


def test_a_request_line_keeps_the_code_status_and_time(client, db, captured_logs):
    """The line issue 17 §5 saw mangled, through the server's real logging configuration."""
    buffer = captured_logs("text")
    client.get("/api/v1/public/track/YB.LY.MX-261208-0001")
    line = next(li for li in buffer.getvalue().splitlines() if "motcua.access" in li)
    assert re.search(r" GET /api/v1/public/track/YB\.LY\.MX-261208-0001 404 \d+\.\dms$", line), line


def test_a_logged_exception_is_redacted_in_its_traceback(captured_logs):
    buffer = captured_logs("text")
    try:
        raise ValueError(f"duplicate {APPLICANT['id_number']} / {APPLICANT['email']}")
    except ValueError:
        logging.getLogger("motcua.test").exception("import failed for %s", APPLICANT["phone"])
    logged = buffer.getvalue()
    assert "ValueError: duplicate [id] / [email]" in logged and "import failed for [phone]" in logged
    assert APPLICANT["id_number"] not in logged
