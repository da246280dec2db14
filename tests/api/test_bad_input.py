"""Bad input is answered 4xx everywhere, on PostgreSQL too (issue #7 §4).

Text the databases cannot store (NUL, lone surrogates: raw, percent-encoded or as JSON
escapes) in any path, query parameter, form field or JSON key or value → 400 with the
CONTRACT §2 error body on the API and the Vietnamese error page on pages; dates out of
range and over-long reschedules → 422 naming the field; bodies over the limit → 413.
Every probe writes nothing and logs no personal data from the request.
"""

from __future__ import annotations

import json
import logging

import pytest

from motcua import badinput

ID_NUMBER = "001090077777"
PHONE = "0987654321"
APPLICANT = {"full_name": "Trần Thị Cúc", "id_number": ID_NUMBER, "phone": PHONE, "address": "Xã Minh Xuân"}
PROCEDURE = "1.004873"  # commune level, 3 working days
NUL = "\x00"
SURROGATE = "\ud800"


def intake(**changes) -> dict:
    body = {"procedure": PROCEDURE, "unit": "YB.LY.YT", "channel": "direct", "applicant": dict(APPLICANT)}
    for key, value in changes.items():
        if key.startswith("applicant."):
            body["applicant"][key.split(".", 1)[1]] = value
        else:
            body[key] = value
    return body


@pytest.fixture
def dossier(demo):
    """A dossier taken in at the Yên Thế counter (status ``received``)."""
    from motcua.accounts.models import User
    from motcua.dossiers.intake import receive_dossier

    return receive_dossier(actor=User.objects.get(username="motcua.yt"), procedure_code=PROCEDURE,
                           unit_code="YB.LY.YT", channel="direct", applicant=APPLICANT)


@pytest.fixture
def written():
    """How many rows of everything a request could write exist."""
    from motcua.accounts.models import ApiToken, User
    from motcua.dossiers.models import Dossier, DossierEvent

    def count():
        return (Dossier.objects.count(), DossierEvent.objects.count(), ApiToken.objects.count(), User.objects.count(),
                list(Dossier.objects.order_by("pk").values_list("status", "due_at", "reschedules")))

    return count


def send(client, method: str, path: str, body=None, token: str | None = None, raw: str | None = None):
    """``path`` as typed (already percent-encoded); ``body`` as JSON, or ``raw`` JSON text."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    if method == "GET":
        return client.get(path, **headers)
    data = raw if raw is not None else json.dumps(body if body is not None else {})
    return client.post(path, data, content_type="application/json", **headers)


def assert_contract_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert all(isinstance(v, list) and all(isinstance(m, str) for m in v) for v in body["error"]["fields"].values())
    if code is not None:
        assert body["error"]["code"] == code
    return body["error"]


def token_of(username: str) -> str:
    from motcua.accounts.models import ApiToken, User

    return ApiToken.issue(User.objects.get(username=username))[1]


# (who, method, path, JSON body or None, raw JSON text or None, the field the answer names)
# ``{code}`` is the probe dossier's code. Raw texts keep the ``\u0000``/``\ud800`` escapes as sent.
API_PROBES = [
    # anonymous: the public catalog, tracking, calendar and the token endpoint
    (None, "GET", "/api/v1/public/track/%00", None, None, "path"),
    (None, "GET", "/api/v1/public/track/%ED%A0%80", None, None, "path"),
    (None, "GET", "/api/v1/public/track/YB-%00", None, None, "path"),
    (None, "GET", "/api/v1/procedures/%00", None, None, "path"),
    (None, "GET", "/api/v1/procedures/1.004873%ED%A0%80", None, None, "path"),
    (None, "GET", "/api/v1/procedures?unit=%00", None, None, "unit"),
    (None, "GET", "/api/v1/procedures?q=khai%00sinh", None, None, "q"),
    (None, "GET", "/api/v1/procedures?q=%ED%A0%80", None, None, "q"),
    (None, "GET", "/api/v1/procedures?field=%00&level=commune", None, None, "field"),
    (None, "GET", "/api/v1/procedures?page=1%00", None, None, "page"),
    (None, "GET", "/api/v1/procedures/stats?unit=YB%00", None, None, "unit"),
    (None, "GET", "/api/v1/units?%00=1", None, None, "query"),
    (None, "GET", "/api/v1/calendar/due?start=2026-04-29T10:00:00%2B07:00&working_days=3&unit=%00", None, None, "unit"),
    (None, "GET", "/api/v1/calendar/due?start=2026-04-29T10:00:00%2B07:00&working_days=3&unit=YB.LY.YT"
                  "&procedure=%ED%A0%80", None, None, "procedure"),
    (None, "POST", "/api/v1/auth/token", {"username": "a" + NUL, "password": "x"}, None, "username"),
    (None, "POST", "/api/v1/auth/token", None, '{"username": "motcua.yt", "password": "a\\ud800"}', "password"),
    (None, "POST", "/api/v1/auth/token", None, '{"username\\u0000": "a", "password": "b"}', "username\ufffd"),
    (None, "POST", "/api/v1/dossiers", intake(**{"applicant.full_name": "Cúc" + NUL}), None, "applicant.full_name"),
    # authenticated: a counter officer of Yên Thế
    ("motcua.yt", "GET", "/api/v1/dossiers?q=%00", None, None, "q"),
    ("motcua.yt", "GET", "/api/v1/dossiers?unit=YB.LY.YT%00", None, None, "unit"),
    ("motcua.yt", "GET", "/api/v1/dossiers?status=received%ED%A0%80", None, None, "status"),
    ("motcua.yt", "GET", "/api/v1/dossiers?assignee=%00", None, None, "assignee"),
    ("motcua.yt", "GET", "/api/v1/dossiers/%00", None, None, "path"),
    ("motcua.yt", "GET", "/api/v1/dossiers/{code}/documents/%00", None, None, "path"),
    ("motcua.yt", "POST", "/api/v1/dossiers", intake(**{"applicant.full_name": "Cúc" + NUL}), None, "applicant.full_name"),
    ("motcua.yt", "POST", "/api/v1/dossiers", intake(**{"applicant.id_number": ID_NUMBER + NUL}), None,
     "applicant.id_number"),
    ("motcua.yt", "POST", "/api/v1/dossiers", intake(**{"applicant.address": "Tổ 1" + SURROGATE}), None,
     "applicant.address"),
    ("motcua.yt", "POST", "/api/v1/dossiers", None,
     json.dumps(intake(data={"ghi_chu": "PLACEHOLDER"}), ensure_ascii=False).replace("PLACEHOLDER", "a\\ud800b"),
     "data.ghi_chu"),
    ("motcua.yt", "POST", "/api/v1/dossiers", None,
     json.dumps(intake(data={"PLACEHOLDER": "x"}), ensure_ascii=False).replace("PLACEHOLDER", "k\\u0000"), "data.k\ufffd"),
    ("motcua.yt", "POST", "/api/v1/dossiers", intake(procedure=PROCEDURE + NUL), None, "procedure"),
    ("motcua.yt", "POST", "/api/v1/dossiers/{code}/actions", {"action": "accept" + NUL}, None, "action"),
    ("motcua.yt", "POST", "/api/v1/dossiers/{code}/actions", {"action": "assign", "assignee": "cv" + NUL}, None,
     "assignee"),
    ("motcua.yt", "POST", "/api/v1/dossiers/{code}/actions",
     {"action": "request_supplement", "note": ["thiếu" + SURROGATE]}, None, "note.0"),
    ("motcua.yt", "POST", "/api/v1/dossiers/{code}/payments", {"gateway": "demo" + NUL}, None, "gateway"),
    ("motcua.yt", "POST", "/api/v1/dossiers/%00/rating", {"score": 3}, None, "path"),
    ("lanhdao.yt", "GET", "/api/v1/reports/tthc?unit=YB.LY.YT%00&from=2026-01-01&to=2026-01-31", None, None, "unit"),
    ("lanhdao.yt", "GET", "/api/v1/reports/tthc.xlsx?unit=YB.LY.YT&from=2026-01-01%00&to=2026-01-31", None, None,
     "from"),
    ("lanhdao.yt", "POST", "/api/v1/dossiers/{code}/actions",
     {"action": "reschedule", "due_at": "2027-01-15T17:00:00+07:00", "note": "Xin lỗi" + NUL}, None, "note"),
]


@pytest.mark.parametrize("who, method, path, body, raw, field", API_PROBES,
                         ids=[f"{p[0] or 'anonymous'} {p[1]} {p[2][:60]} {p[5]}" for p in API_PROBES])
def test_unstorable_text_is_a_400_contract_error_that_writes_and_logs_nothing(
        client, dossier, written, caplog, who, method, path, body, raw, field):
    token = token_of(who) if who else None
    before = written()
    caplog.set_level(logging.DEBUG)
    response = send(client, method, path.replace("{code}", dossier.code), body, token, raw)
    error = assert_contract_error(response, 400, "invalid_text")
    assert list(error["fields"]) == [field]
    assert written() == before
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    assert ID_NUMBER not in logged and PHONE not in logged


def test_an_applicant_with_plain_text_is_still_taken_in(client, demo, written):
    """The control probe: the same intake without the bad character is a 201."""
    before = written()
    response = send(client, "POST", "/api/v1/dossiers", intake(), token_of("motcua.yt"))
    assert response.status_code == 201, response.content
    assert written()[0] == before[0] + 1


def test_valid_surrogate_pairs_are_ordinary_text(client, demo):
    """An emoji sent as a JSON surrogate pair (``\\ud83d\\ude00``) is one character, not a lone half."""
    raw = json.dumps(intake(**{"applicant.address": "Tổ 1 PLACEHOLDER"}), ensure_ascii=False).replace(
        "PLACEHOLDER", "\\ud83d\\ude00")
    response = send(client, "POST", "/api/v1/dossiers", None, token_of("motcua.yt"), raw)
    assert response.status_code == 201, response.content
    assert response.json()["applicant"]["address"] == "Tổ 1 \U0001f600"


def test_a_nul_in_an_uploaded_files_bytes_is_binary_content_not_bad_text(client, demo):
    """File bytes are never inspected: a PDF full of NUL bytes is stored as sent."""
    from motcua.accounts.models import User
    from motcua.dossiers.actions import apply_action
    from motcua.dossiers.intake import receive_dossier

    citizen = User.objects.get(username="congdan")
    online = receive_dossier(actor=citizen, procedure_code="1.001193", unit_code="YB.LY.YT", channel="online",
                             applicant=APPLICANT)
    apply_action(User.objects.get(username="motcua.yt"), online.code, "accept")
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = b"%PDF-1.7\n" + bytes(2000) + b"\n%%EOF\n"
    upload = SimpleUploadedFile("to khai.pdf", pdf, content_type="application/pdf")
    response = client.post(f"/api/v1/dossiers/{online.code}/documents", {"file": upload},
                           HTTP_AUTHORIZATION=f"Bearer {token_of('congdan')}")
    assert response.status_code == 201, response.content
    assert response.json()["size"] == len(pdf)


def test_unstorable_text_in_a_multipart_field_is_a_400(client, dossier, written):
    from django.core.files.uploadedfile import SimpleUploadedFile

    token = token_of("motcua.yt")
    before = written()
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")
    response = client.post(f"/api/v1/dossiers/{dossier.code}/documents", {"file": upload, "kind": "Tờ khai\x00"},
                           HTTP_AUTHORIZATION=f"Bearer {token}")
    error = assert_contract_error(response, 400, "invalid_text")
    assert list(error["fields"]) == ["kind"]
    assert written() == before


def multipart(boundary: str, disposition: bytes, value: bytes) -> bytes:
    return (b"--" + boundary.encode() + b"\r\nContent-Disposition: form-data; " + disposition + b"\r\n\r\n" + value
            + b"\r\n--" + boundary.encode() + b"--\r\n")


def test_broken_utf8_in_a_multipart_field_arrives_as_replacement_characters(client, dossier, written):
    """Django decodes multipart text with replacement: a surrogate's bytes (ED A0 80) arrive as
    U+FFFD, which is storable, so the upload is judged on its merits (here: no file → 422)."""
    token = token_of("motcua.yt")
    before = written()
    response = client.post(f"/api/v1/dossiers/{dossier.code}/documents",
                           multipart("BoUnDaRy", b'name="kind"', b"T\xed\xa0\x80"),
                           content_type="multipart/form-data; boundary=BoUnDaRy",
                           HTTP_AUTHORIZATION=f"Bearer {token}")
    assert_contract_error(response, 422)
    assert written() == before


def test_a_nul_in_a_file_name_never_reaches_the_database(client, dossier):
    """Django cleans uploaded file names itself: the NUL is dropped and the paper is stored."""
    body = multipart("BoUnDaRy", b'name="file"; filename="to\x00khai.pdf"\r\nContent-Type: application/pdf',
                     b"%PDF-1.7\n%%EOF\n")
    response = client.post(f"/api/v1/dossiers/{dossier.code}/documents", body,
                           content_type="multipart/form-data; boundary=BoUnDaRy",
                           HTTP_AUTHORIZATION=f"Bearer {token_of('motcua.yt')}")
    assert response.status_code in (201, 400), response.content
    if response.status_code == 201:
        assert "\x00" not in response.json()["name"]


def test_a_cookie_with_a_nul_is_a_400(client, demo):
    response = client.get("/api/v1/units", HTTP_COOKIE='sessionid="abc\\000def"')
    assert_contract_error(response, 400, "invalid_text")


# ------------------------------------------------------------------ pages

PAGE_PROBES = [
    ("GET", "/thu-tuc/%00/", None),
    ("GET", "/thu-tuc/1.004873%ED%A0%80/", None),
    ("GET", "/tra-cuu/%00/", None),
    ("GET", "/tra-cuu/?code=%00", None),
    ("GET", "/?q=khai%00sinh", None),
    ("GET", "/thu-tuc/?q=%ED%A0%80", None),
    ("GET", "/don-vi/YB%00/", None),
    ("POST", "/can-bo/dang-nhap/", "username=motcua.yt%00&password=x"),
    ("POST", "/can-bo/dang-nhap/", "username=%ED%A0%80&password=x"),
]


@pytest.mark.parametrize("method, path, form", PAGE_PROBES, ids=[f"{p[0]} {p[1]}" for p in PAGE_PROBES])
def test_unstorable_text_on_a_page_is_the_vietnamese_400_page(client, demo, written, caplog, method, path, form):
    before = written()
    if method == "GET":
        response = client.get(path)
    else:
        response = client.post(path, form, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Yêu cầu không hợp lệ" in page and "Traceback" not in page
    assert written() == before


def test_a_page_form_over_the_body_limit_is_the_413_page(client, demo, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client.post("/can-bo/dang-nhap/", "username=" + "a" * 20_000,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "Nội dung gửi lên quá lớn" in response.content.decode()


# ------------------------------------------------------------------ sizes

@pytest.mark.parametrize("who, path", [(None, "/api/v1/auth/token"), ("motcua.yt", "/api/v1/dossiers"),
                                       ("motcua.yt", "/api/v1/dossiers/{code}/actions")])
def test_a_json_body_over_the_limit_is_a_413_contract_error(client, dossier, written, settings, who, path):
    """CONTRACT §2: 413 (too large), with the JSON error body, not Django's HTML 400 page."""
    token = token_of(who) if who else None
    before = written()
    body = intake(**{"applicant.address": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)})
    response = send(client, "POST", path.replace("{code}", dossier.code), body, token)
    assert_contract_error(response, 413, "too_large")
    assert written() == before


def test_a_json_body_nested_too_deeply_is_a_400(client, demo):
    response = send(client, "POST", "/api/v1/auth/token", raw="[" * 200_000 + "]" * 200_000)
    assert_contract_error(response, 400, "invalid_json")


# ------------------------------------------------------------------ dates

DUE = "/api/v1/calendar/due?working_days={days}&unit=YB.LY.YT&start={start}"


@pytest.mark.parametrize("start, days, field", [
    ("9999-12-31T23:00:00%2B07:00", 3, "start"),
    ("9999-12-31T23:00:00-05:00", 3, "start"),
    ("0001-01-01T00:00:00%2B07:00", 3, "start"),
    ("1899-12-31T10:00:00%2B07:00", 0, "start"),
    ("2201-01-01T10:00:00%2B07:00", 1, "start"),
    ("2026-04-29T10:00:00%2B07:00", 10**9, "working_days"),
    ("2026-04-29T10:00:00%2B07:00", "1e308", "working_days"),
    ("2026-04-29T10:00:00%2B07:00", "nan", "working_days"),
    ("2026-04-29T10:00:00%2B07:00", "inf", "working_days"),
])
def test_a_due_date_out_of_range_is_a_422_naming_the_field(client, demo, start, days, field):
    response = client.get(DUE.format(start=start, days=days))
    error = assert_contract_error(response, 422)
    assert field in error["fields"]


def test_the_last_accepted_start_still_gets_a_due_date(client, demo):
    """The bound (years 1900–2200, ``motcua.dates``) leaves room for ten years of working days."""
    response = client.get(DUE.format(start="2200-12-31T10:00:00%2B07:00", days=3650))
    assert response.status_code == 200, response.content
    assert response.json()["due_at"] > "2200-12-31"


@pytest.mark.parametrize("date_from, date_to, field", [
    ("0001-01-01", "9999-12-31", "from"),
    ("2026-01-01", "9999-12-31", "to"),
    ("1899-12-31", "2026-01-31", "from"),
])
def test_a_report_over_years_out_of_range_is_a_422(client, demo, date_from, date_to, field):
    response = client.get(f"/api/v1/reports/tthc?unit=YB.LY.YT&from={date_from}&to={date_to}",
                          HTTP_AUTHORIZATION=f"Bearer {token_of('lanhdao.yt')}")
    error = assert_contract_error(response, 422)
    assert field in error["fields"]


def test_a_report_over_the_whole_accepted_range_is_answered(client, demo):
    response = client.get("/api/v1/reports/tthc?unit=YB.LY.YT&from=1900-01-01&to=2200-12-31",
                          HTTP_AUTHORIZATION=f"Bearer {token_of('lanhdao.yt')}")
    assert response.status_code == 200, response.content
    assert response.json()["received"]["total"] == 0


# ------------------------------------------------------------------ reschedule

@pytest.mark.parametrize("due_at", [
    "9999-12-31T23:00:00+07:00",
    "9999-12-31T23:00:00-05:00",
    "2201-01-01T17:00:00+07:00",
    "LATER_THAN_A_YEAR",
])
def test_a_reschedule_beyond_the_bound_is_a_422_naming_due_at(client, dossier, written, due_at):
    """A new appointment more than a year after the current one (``RESCHEDULE_MAX_DAYS``), or
    outside the accepted years, is refused; the dossier keeps its due date."""
    import datetime as dt

    if due_at == "LATER_THAN_A_YEAR":
        due_at = (dossier.due_at + dt.timedelta(days=367)).isoformat()
    token = token_of("lanhdao.yt")
    before = written()
    response = send(client, "POST", f"/api/v1/dossiers/{dossier.code}/actions",
                    {"action": "reschedule", "due_at": due_at, "note": "Cần xác minh"}, token)
    error = assert_contract_error(response, 422)
    assert list(error["fields"]) == ["due_at"]
    assert written() == before


def test_a_reschedule_within_a_year_is_accepted(client, dossier):
    import datetime as dt

    due_at = (dossier.due_at + dt.timedelta(days=360)).isoformat()
    response = send(client, "POST", f"/api/v1/dossiers/{dossier.code}/actions",
                    {"action": "reschedule", "due_at": due_at, "note": "Cần xác minh"}, token_of("lanhdao.yt"))
    assert response.status_code == 200, response.content


# ------------------------------------------------------------------ the rule itself

@pytest.mark.parametrize("text, storable", [
    ("Nguyễn Văn An", True), ("plain", True), ("", True), ("a\x00b", False), ("\ud800", False),
    ("x\udfff", False), ("\U0001f600", True), ("\ufffd", True),
])
def test_which_text_is_storable(text, storable):
    assert badinput.is_storable(text) is storable


def test_the_json_walk_names_the_first_bad_key_or_value():
    assert badinput.unstorable_in_json({"a": [1, {"b": "ok"}, "x\x00"]}) == "a.2"
    assert badinput.unstorable_in_json({"a": {"b\ud800": 1}}) == "a.b\ud800"
    assert badinput.unstorable_in_json([{"a": "ok"}, 3, None, True]) is None
