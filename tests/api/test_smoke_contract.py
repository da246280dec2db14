"""CONTRACT §3's worked example through the HTTP API."""


def test_contract_due_date_example(api, demo):
    """CONTRACT §3: received Wed 2026-04-29 10:00 with 3 working days → 30/4 and 1/5 are
    holidays, 2–3/5 a weekend → due Wed 2026-05-06 17:00 +07:00."""
    r = api.get("/calendar/due", {"start": "2026-04-29T10:00:00+07:00", "working_days": 3, "unit": "YB.LY.YT"})
    assert r.status_code == 200, r.content
    assert r.json()["received_at"] == "2026-04-29T10:00:00+07:00"
    assert r.json()["due_at"] == "2026-05-06T17:00:00+07:00"
