"""Run a piece of Django code in separate processes on the current test database, at the
same time: how the login-limit tests play two gunicorn workers (or two servers) guessing
one password without starting servers."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from django.db import connection

PRELUDE = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
from django.conf import settings
settings.DATABASES["default"]["NAME"] = sys.argv[1]  # the test database
import django
django.setup()
from django.test import Client
copy = sys.argv[2]  # "0", "1", …: which process this is
"""


def in_processes(body: str, copies: int = 2, timeout: float = 300) -> list:
    """Run ``body`` in ``copies`` processes at once; each must end by printing a JSON list
    (``print(json.dumps(...))``). Returns the lists joined, in process order."""
    script = PRELUDE + textwrap.dedent(body)
    name = str(connection.settings_dict["NAME"])
    processes = [subprocess.Popen([sys.executable, "-c", script, name, str(n)], stdout=subprocess.PIPE, text=True)
                 for n in range(copies)]
    results: list = []
    for p in processes:
        out, _ = p.communicate(timeout=timeout)
        assert p.returncode == 0, f"a guessing process failed with {p.returncode}"
        results += json.loads(out.strip().splitlines()[-1])
    return results
