"""``python -m bench signing``: the time to sign one electronic result (PAdES B-LT: the agency's
PKCS#12 key, an RFC 3161 timestamp and OCSP/CRL fetched from a certomancer PKI on loopback) and
to verify one (every check ``/xac-thuc/`` makes, the OCSP/CRL asked again), on this machine.

Runs in its own process on a scratch data folder (a fresh SQLite database for the register).
``BENCH_SIGN_ROUNDS`` (5) results after one warm-up; prints the median and the worst.
``python -m bench.signing`` prints the figures as JSON on its last line (what ``bench`` reads).
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROUNDS = int(os.environ.get("BENCH_SIGN_ROUNDS", "5"))


def measure(rounds: int = ROUNDS) -> dict:
    from werkzeug.serving import make_server

    from motcua.signing import demo_pki

    tmp = Path(tempfile.mkdtemp(prefix="bench-signing-"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    pki = demo_pki.generate(tmp / "pki", f"http://127.0.0.1:{port}")
    server = make_server("127.0.0.1", port, demo_pki.animator(tmp / "pki"), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    os.environ.update({
        "MOTCUA_DATA_DIR": str(tmp / "data"), "MOTCUA_SIGNING_P12": str(pki.p12("agency")),
        "MOTCUA_SIGNING_P12_PASSWORD": demo_pki.PASSWORD, "MOTCUA_TSA_URL": pki.tsa_url,
        "MOTCUA_TRUST_ROOTS": str(pki.roots), "MOTCUA_LOG_LEVEL": "ERROR", "MOTCUA_ACCESS_LOG": "false",
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
    })
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from motcua.signing.keys import installation_key
    from motcua.signing.pades import Appearance, sign_pdf
    from motcua.signing.verify import verify_pdf
    from tests.signing.conftest import a_pdf

    source = a_pdf(pages=2)
    look = Appearance(role="agency", agency="Ủy ban nhân dân xã Minh Xuân", verify_url="http://127.0.0.1:8000/xac-thuc/x/")
    key = installation_key()
    verify_pdf(sign_pdf(source, key, look))  # warm-up: fonts, imports, first connections
    signing, verifying = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        signed = sign_pdf(source, key, look)
        signing.append(time.perf_counter() - started)
        started = time.perf_counter()
        result = verify_pdf(signed)
        verifying.append(time.perf_counter() - started)
        assert result.all_good, result
    server.shutdown()
    return {"sign_s": statistics.median(signing), "sign_worst_s": max(signing), "verify_s": statistics.median(verifying),
            "verify_worst_s": max(verifying), "sign_rounds": rounds, "signed_kb": len(signed) / 1024}


def bench_signing() -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.signing"], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parent.parent, timeout=1800).stdout
    result = json.loads(out.strip().splitlines()[-1])
    print(f"   signing: {result['sign_s']:.2f} s a result (worst {result['sign_worst_s']:.2f} s), "
          f"verifying: {result['verify_s']:.2f} s (worst {result['verify_worst_s']:.2f} s), "
          f"{result['sign_rounds']} results of {result['signed_kb']:.0f} KB", flush=True)
    return result


if __name__ == "__main__":
    print(json.dumps(measure()))
