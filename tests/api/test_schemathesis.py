"""Property-based API test: schemathesis against the live server, bounded in time.

It reads ``/api/v1/openapi.json``, generates requests for every operation (anonymous
fields, bad types, edge values, as a counter officer with a real token over the demo
data) and checks that no answer is a server error and that every answer matches the
schema the document declares for its status. ``POST /auth/token/revoke`` is left out: it
would revoke the run's own token (tests/accounts cover it). The figures are printed and
kept in docs/api.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

MAX_TIME_SECONDS = 120  # per database: `make test` runs once on SQLite and once on PostgreSQL
CHECKS = "not_a_server_error,response_schema_conformance"


@pytest.fixture
def seeded_live_server(live_server, transactional_db):
    from motcua.accounts.models import ApiToken, User
    from motcua.demo.catalog import seed_demo

    seed_demo()
    _, token = ApiToken.issue(User.objects.get(username="motcua.yt"))
    return live_server.url, token


def test_schemathesis_finds_no_server_error_and_no_schema_mismatch(seeded_live_server, tmp_path, report_figures):
    url, token = seeded_live_server
    report = tmp_path / "report.json"
    command = [
        str(Path(sys.executable).with_name("schemathesis")), "run", f"{url}/api/v1/openapi.json",
        "--checks", CHECKS, "--max-examples", "15", "--max-time", str(MAX_TIME_SECONDS), "--seed", "7006",
        "--workers", "1", "--request-timeout", "30", "--suppress-health-check", "all",
        "--header", f"Authorization: Bearer {token}",
        "--exclude-path", "/api/v1/auth/token/revoke",
        "--report", "json", "--report-json-path", str(report), "--no-color",
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=MAX_TIME_SECONDS + 240, cwd=tmp_path)
    summary = run.stdout[-6000:]
    assert report.exists(), summary
    figures = json.loads(report.read_text())
    cases = figures["test_cases"]
    line = (f"schemathesis {figures['schemathesis_version']} on {connection.vendor}: "
            f"{figures['operations']['tested']} operations, {cases['generated']} cases, "
            f"{cases['with_failures']} with failures, {len(figures['errors'])} errors "
            f"in {figures['running_time']:.0f} s")
    report_figures(line)
    assert run.returncode == 0 and cases["with_failures"] == 0 and not figures["errors"], summary
    assert figures["operations"]["tested"] >= 20, line
