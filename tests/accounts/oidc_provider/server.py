"""Start the loopback OpenID Connect provider in its own process."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[3]

SETUP = """
import json, sys
import django
django.setup()
from django.contrib.auth.models import User
from oauth2_provider.models import Application
spec = json.loads(sys.argv[1])
for name, password in spec["users"].items():
    u, _ = User.objects.get_or_create(username=name)
    u.set_password(password); u.save()
Application.objects.filter(client_id=spec["client_id"]).delete()
Application.objects.create(
    name="Motcua", client_id=spec["client_id"], client_secret=spec["client_secret"],
    client_type=Application.CLIENT_CONFIDENTIAL, authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
    redirect_uris=" ".join(spec["redirect_uris"]), algorithm=Application.RS256_ALGORITHM, skip_authorization=True,
)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Provider:
    issuer: str
    client_id: str
    client_secret: str
    state: Path
    process: subprocess.Popen

    def set_claims(self, claims: dict[str, dict]) -> None:
        (self.state / "claims.json").write_text(json.dumps(claims, ensure_ascii=False))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start(state: Path, redirect_uris: list[str], users: dict[str, str]) -> Provider:
    state.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (state / "rsa.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    port = free_port()
    issuer = f"http://127.0.0.1:{port}/o"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.accounts.oidc_provider.settings",
           "OIDC_PROVIDER_STATE": str(state), "OIDC_PROVIDER_ISSUER": issuer,
           "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("DATABASE_URL", None)
    django_admin = [sys.executable, "-m", "django"]
    subprocess.run([*django_admin, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    spec = {"client_id": "motcua-tinh", "client_secret": "bi-mat-cua-tinh-0123456789", "redirect_uris": redirect_uris,
            "users": users}
    subprocess.run([sys.executable, "-c", SETUP, json.dumps(spec)], env=env, check=True, cwd=ROOT)
    process = subprocess.Popen([*django_admin, "runserver", f"127.0.0.1:{port}", "--noreload"],
                               env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    provider = Provider(issuer, spec["client_id"], spec["client_secret"], state, process)
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(issuer + "/.well-known/openid-configuration", timeout=2).ok:
                return provider
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            provider.stop()
            raise RuntimeError("the OpenID Connect test provider did not start")
        time.sleep(0.2)
