"""The floor app of ``python -m bench floor`` (bench/floor, issue 21 §1) does what an intake
must: the token checked, the day's numbers in sequence, the audit event, the one-row tracking."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_floor_app_receives_numbers_audits_and_tracks(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "BENCH_FLOOR_DB": str(tmp_path / "floor.sqlite3")}
    out = subprocess.run([sys.executable, "-m", "bench.floor.check"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    first, second = out.stdout.split()
    assert first.startswith("YB.LY.YT-") and first.endswith("-0001") and second.endswith("-0002")
