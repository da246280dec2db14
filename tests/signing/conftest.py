"""A test PKI on loopback (certomancer): root, intermediate, agency and leader certificates,
an expired and a not-yet-valid one, a timestamp authority, OCSP and CRLs — served over HTTP
on 127.0.0.1 by certomancer's own WSGI application, in a thread of the test process."""

from __future__ import annotations

import datetime as dt
import io
import socket
import threading

import pytest

from motcua.signing import demo_pki


class LoopbackPKI:
    def __init__(self, pki: demo_pki.DemoPKI, app, server):
        self.pki = pki
        self.app = app
        self.server = server
        self.down = False

    @property
    def arch(self):
        from certomancer.registry import ArchLabel

        return self.app.architectures[ArchLabel(demo_pki.ARCH)]

    def revoke(self, label: str, when: dt.datetime | None = None) -> None:
        """Revoke ``label``'s certificate from ``when`` (now) on: OCSP and CRLs say so from then."""
        from certomancer.registry import CertLabel
        from certomancer.registry.issued.general import RevocationStatus

        spec = self.arch.get_cert_spec(CertLabel(label))
        object.__setattr__(spec, "revocation", RevocationStatus(
            revoked_since=when or dt.datetime.now(dt.timezone.utc), reason="key_compromise"))

    def unrevoke(self, label: str) -> None:
        from certomancer.registry import CertLabel

        object.__setattr__(self.arch.get_cert_spec(CertLabel(label)), "revocation", None)

    def configure(self, settings, label: str = "agency") -> None:
        settings.SIGNING_P12 = str(self.pki.p12(label))
        settings.SIGNING_P12_PASSWORD = demo_pki.PASSWORD
        settings.SIGNING_PKCS11_MODULE = ""
        settings.TSA_URL = self.pki.tsa_url
        settings.TRUST_ROOTS = str(self.pki.roots)
        settings.SIGNING_DEMO = False


class _Switch:
    """The WSGI app, or 503 for everything while the services are 'down'."""

    def __init__(self, holder):
        self.holder = holder

    def __call__(self, environ, start_response):
        if self.holder.down:
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"down"]
        return self.holder.app(environ, start_response)


@pytest.fixture(scope="session")
def loopback_pki(tmp_path_factory):
    from werkzeug.serving import make_server

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    directory = tmp_path_factory.mktemp("pki")
    pki = demo_pki.generate(directory, f"http://127.0.0.1:{port}")
    holder = LoopbackPKI(pki, demo_pki.animator(directory), None)
    server = make_server("127.0.0.1", port, _Switch(holder), threaded=True)
    holder.server = server
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield holder
    server.shutdown()


@pytest.fixture
def pki(loopback_pki, settings):
    """The loopback PKI, configured as the installation's agency key, TSA and trust roots."""
    loopback_pki.configure(settings)
    loopback_pki.down = False
    yield loopback_pki
    loopback_pki.down = False
    for label in demo_pki.SIGNERS:
        loopback_pki.unrevoke(label)


def a_pdf(pages: int = 1, text: str = "Giấy khai sinh") -> bytes:
    """A small real PDF (Typst-free: pikepdf with a text content stream)."""
    import pikepdf

    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


from tests.files.conftest import media_dir, online_dossier  # noqa: E402,F401  (shared fixtures)


@pytest.fixture
def run_worker():
    from motcua.server.worker import run_due_tasks

    return lambda: run_due_tasks(schedule=False)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    import contextlib

    @contextlib.contextmanager
    def block():
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return block
