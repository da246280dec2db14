"""The OpenAPI document declares every field the dossier endpoints return (issue 7 §4).

Each answer is read back and walked against the schema the document gives for its status:
every key it carries is a declared property (``printed_forms``, ``moments`` and the events'
``counts_from`` included), every required property is there, and the whole body validates.
"""

from __future__ import annotations

import jsonschema_rs  # schemathesis's validator (a dev dependency through it)
import pytest

from tests.dossiers.data import APPLICANT, THREE_DAY_COMMUNE

BODY = {"procedure": THREE_DAY_COMMUNE, "unit": "YB.LY.YT", "channel": "direct", "applicant": APPLICANT}


@pytest.fixture
def document(api):
    return api.get("/openapi.json").json()


def response_schema(document: dict, method: str, path: str, status: int) -> dict:
    """The operation's schema for ``status``, every ``$ref`` replaced by what it names."""
    components = document["components"]["schemas"]

    def inline(node):
        if isinstance(node, dict):
            if "$ref" in node:
                return inline(components[node["$ref"].rsplit("/", 1)[1]])
            return {k: inline(v) for k, v in node.items()}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    response = document["paths"][f"/api/v1{path}"][method]["responses"][str(status)]
    return inline(response["content"]["application/json"]["schema"])


def undeclared(value, schema: dict, where: str = "") -> list[str]:
    """Keys of ``value`` (at any depth) that ``schema`` does not declare, and required ones missing."""
    if "anyOf" in schema:
        branches = [s for s in schema["anyOf"] if s.get("type") != "null"]
        return [] if value is None else undeclared(value, branches[0], where)
    found = []
    if isinstance(value, dict) and "properties" in schema:
        properties = schema["properties"]
        found += [f"{where}.{k} (not declared)" for k in value if k not in properties]
        found += [f"{where}.{k} (required, missing)" for k in schema.get("required", []) if k not in value]
        for key, item in value.items():
            if key in properties:
                found += undeclared(item, properties[key], f"{where}.{key}")
    elif isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            found += undeclared(item, schema["items"], f"{where}[{i}]")
    return found


def assert_declared(document, method, path, status, response):
    assert response.status_code == status, response.content
    schema = response_schema(document, method, path, status)
    body = response.json()
    assert not undeclared(body, schema), undeclared(body, schema)
    errors = [str(e) for e in jsonschema_rs.Draft202012Validator(schema).iter_errors(body)]
    assert not errors, errors
    return body


def test_every_field_of_the_dossier_answers_is_declared(api_as, api, document):
    counter = api_as("motcua.yt")
    created = assert_declared(document, "post", "/dossiers", 201, counter.post("/dossiers", BODY))
    code = created["code"]
    assert created["printed_forms"] and created["moments"] and "counts_from" in created["events"][0]

    acted = assert_declared(document, "post", "/dossiers/{code}/actions", 200, counter.post(
        f"/dossiers/{code}/actions", {"action": "request_supplement", "note": "Thiếu bản sao giấy khai sinh."}))
    assert "supplement_request" in {f["key"] for f in acted["printed_forms"]}

    detail = assert_declared(document, "get", "/dossiers/{code}", 200, counter.get(f"/dossiers/{code}"))
    assert detail["printed_forms"] == acted["printed_forms"] and detail["moments"] == acted["moments"]
    assert "counts_from" in detail["events"][0]
    assert all("counts_from" not in e for e in detail["events"][1:])  # only on the intake event

    listed = assert_declared(document, "get", "/dossiers", 200, counter.get("/dossiers", {"q": code}))
    assert [item["code"] for item in listed["items"]] == [code]

    public = assert_declared(document, "get", "/public/track/{code}", 200, api.get(f"/public/track/{code}"))
    assert public["moments"] == detail["moments"]
    assert "applicant" not in public and "applicant_name" not in public


@pytest.mark.parametrize(("method", "path", "status", "fields"), [
    ("get", "/dossiers/{code}", 200, {"printed_forms", "moments", "events", "applicant", "timeliness", "allowed_actions"}),
    ("post", "/dossiers", 201, {"printed_forms", "moments", "events"}),
    ("post", "/dossiers/{code}/actions", 200, {"printed_forms", "moments", "events"}),
    ("get", "/public/track/{code}", 200, {"moments", "timeliness", "submitted_at", "received_at"}),
])
def test_the_document_names_the_fields(document, method, path, status, fields):
    schema = response_schema(document, method, path, status)
    assert fields <= set(schema["properties"]), sorted(schema["properties"])
    assert {"key", "label", "at", "counts_from", "note"} <= set(schema["properties"]["moments"]["items"]["properties"])
    if "printed_forms" in fields:
        form = schema["properties"]["printed_forms"]["items"]["properties"]
        assert {"key", "number", "title", "url", "for_applicant"} <= set(form)


def test_the_declared_schemas_drop_nothing_the_api_writes(api_as, api):
    """A response schema also filters: each key the serializers write reaches the client."""
    from motcua.accounts.models import User
    from motcua.api.dossiers import dossier_detail, dossier_summary, public_status
    from motcua.dossiers.models import Dossier

    counter = api_as("motcua.yt")
    code = counter.post("/dossiers", BODY).json()["code"]
    dossier = Dossier.objects.get(code=code)
    user = User.objects.get(username="motcua.yt")

    def keys(value):
        if isinstance(value, dict):
            return {k: keys(v) for k, v in value.items() if k not in ("data", "changes")}
        if isinstance(value, list):
            return [keys(v) for v in value]
        return None

    assert keys(counter.get(f"/dossiers/{code}").json()) == keys(dossier_detail(dossier, user))
    assert keys(counter.get("/dossiers", {"q": code}).json()["items"][0]) == keys(dossier_summary(dossier))
    assert keys(api.get(f"/public/track/{code}").json()) == keys(public_status(dossier))


@pytest.mark.parametrize(("path", "params"), [
    ("/procedures", {"unit": "YB.LY.YT"}),
    ("/procedures/stats", {"unit": "YB.LY", "children": "true"}),
    (f"/procedures/{THREE_DAY_COMMUNE}", {}),
    ("/calendar/due", {"start": "2026-04-29T10:00:00+07:00", "working_days": 3, "unit": "YB.LY.YT",
                       "procedure": THREE_DAY_COMMUNE}),
    ("/calendar/due", {"start": "2026-04-29T10:00:00+07:00", "working_days": 1.5, "unit": "YB.LY.YT"}),
])
def test_every_field_of_the_catalog_answers_is_declared(api, demo, document, path, params):
    template = path.replace(THREE_DAY_COMMUNE, "{code}")
    body = assert_declared(document, "get", template, 200, api.get(path, params))
    assert body


def test_the_catalog_schemas_drop_nothing(api, demo):
    from motcua.api.catalog import procedure_detail, procedure_summary
    from motcua.catalog.models import Procedure

    procedure = Procedure.objects.get(code=THREE_DAY_COMMUNE)
    assert set(api.get(f"/procedures/{THREE_DAY_COMMUNE}").json()) == set(procedure_detail(procedure))
    item = next(i for i in api.get("/procedures", {"q": "tình trạng hôn nhân"}).json()["items"]
                if i["code"] == THREE_DAY_COMMUNE)
    assert set(item) == set(procedure_summary(procedure))


def test_the_report_drilldown_is_declared(api_as, document):
    import datetime as dt

    from motcua.worktime.calendar import VN_TZ

    made = api_as("motcua.yt").post("/dossiers", BODY).json()
    code = made["code"]
    # the day it counts as received: today, or the next working day when taken in after hours
    day = dt.datetime.fromisoformat(made["received_at"]).astimezone(VN_TZ).date().isoformat()
    body = assert_declared(document, "get", "/reports/tthc/dossiers", 200, api_as("lanhdao.yt").get(
        "/reports/tthc/dossiers", {"unit": "YB.LY.YT", "from": day, "to": day, "figure": "received"}))
    assert [item["code"] for item in body["items"]] == [code]


@pytest.mark.parametrize(("path", "types"), [
    ("/reports/tthc.xlsx", {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    ("/reports/tthc.pdf", {"application/pdf"}),
    ("/dossiers/{code}/payments/{order_id}/receipt.pdf", {"application/pdf"}),
    ("/dossiers/{code}/documents/{file_id}", {"application/pdf", "image/jpeg", "image/png"}),
])
def test_downloads_declare_their_file_types(document, path, types):
    assert set(document["paths"][f"/api/v1{path}"]["get"]["responses"]["200"]["content"]) == types


@pytest.mark.parametrize("path", ["/reports/tthc", "/reports/indicators", "/reports/scorecard"])
def test_every_field_of_the_reports_is_declared_and_kept(api_as, document, path):
    import datetime as dt

    from motcua.accounts.models import User
    from motcua.reports import indicators, scorecard
    from motcua.reports.services import report_query
    from motcua.worktime.calendar import VN_TZ

    api_as("motcua.yt").post("/dossiers", BODY)
    today = dt.datetime.now(VN_TZ).date().isoformat()
    params = {"unit": "YB.LY", "children": "1", "from": today, "to": today}
    body = assert_declared(document, "get", path, 200, api_as("lanhdao.ly").get(path, params))
    assert body["from"] == today and body["to"] == today and "date_from" not in body

    query = report_query(User.objects.get(username="lanhdao.ly"), "YB.LY", today, today, "1")
    direct = {"/reports/tthc": query.report, "/reports/indicators": lambda: indicators.indicators(query),
              "/reports/scorecard": lambda: scorecard.scorecard(query)}[path]()
    assert body == direct  # the schema drops, renames and retypes nothing


def test_every_operation_declares_the_body_of_its_success(document):
    bare = [f"{method.upper()} {path}" for path, operations in document["paths"].items()
            for method, operation in operations.items()
            if not any(str(status).startswith("2") and response.get("content")
                       for status, response in operation["responses"].items())]
    assert not bare, bare


def test_schema_names_are_unique():
    """The document keys components by class name: two schemas with one name would share one entry."""
    from ninja import Schema

    import motcua.api.main  # noqa: F401  (every API module)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    names = [c.__name__ for c in set(subclasses(Schema)) if c.__module__.startswith("motcua.")]
    assert sorted(n for n in set(names) if names.count(n) > 1) == []
