"""Two real servers (`motcua serve`, gunicorn, each its own processes) on one database: a
citizen's password guessed on the login page, alternately on one and the other, 30 times.
The count is shared: after the limit every guess is refused by both, the right password too."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def two_servers(tmp_path, installation_copy):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "DATABASE_URL", "DJANGO_"))}
    env.update(MOTCUA_DATA_DIR=str(installation_copy(tmp_path / "data")), MOTCUA_WORKERS="1", MOTCUA_THREADS="2")
    motcua = [sys.executable, "-m", "motcua"]
    subprocess.run([*motcua, "shell", "-c",
                    "from motcua.accounts.models import User; "
                    "User.objects.create_user('congdan.xa', password='dung-mat-khau-123', phone='0912345678')"],
                   cwd=ROOT, env=env, check=True)
    servers = []
    try:
        # One after the other: each server prepares its data folder (static files, scratch) as
        # it starts, as an operator's second server would after the first is up.
        for n in range(2):
            port = free_port()
            log = tmp_path / f"server{n}.log"
            with log.open("wb") as output:
                process = subprocess.Popen([*motcua, "serve", "--no-worker", "--port", str(port)], cwd=ROOT, env=env,
                                           stdout=output, stderr=subprocess.STDOUT)
            url = f"http://127.0.0.1:{port}"
            servers.append((process, url))
            deadline = time.monotonic() + 300  # a loaded CI machine
            while True:
                try:
                    if requests.get(url + "/healthz", timeout=2).status_code in (200, 503):
                        break
                except (requests.ConnectionError, requests.Timeout):  # not listening yet, or still starting
                    pass
                assert process.poll() is None and time.monotonic() < deadline, (
                    "a server did not start: " + log.read_text(errors="replace")[-3000:])
                time.sleep(0.1)
        yield [url for _, url in servers]
    finally:
        for process, _ in servers:
            process.terminate()
        for process, _ in servers:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def attempt(url: str, login: str, password: str) -> requests.Response:
    browser = requests.Session()  # a new visitor each time: no cookie carries the count
    page = browser.get(url + "/tai-khoan/dang-nhap/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    return browser.post(url + "/tai-khoan/dang-nhap/", data={"csrfmiddlewaretoken": token, "login": login,
                                                             "password": password},
                        allow_redirects=False, timeout=30)


def test_thirty_guesses_across_two_servers(two_servers):
    spellings = ["0912345678", "+84 912 345 678", "congdan.xa"]
    statuses = [attempt(two_servers[i % 2], spellings[i % 3], f"sai-{i}").status_code for i in range(30)]
    assert statuses == [200] * 9 + [429] * 21
    for url in two_servers:
        refused = attempt(url, "0912345678", "dung-mat-khau-123")
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
        assert "Tạm khoá đăng nhập" in refused.text
