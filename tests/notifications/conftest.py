import contextlib

import pytest

from tests.files.conftest import media_dir, online_dossier  # noqa: F401  (shared fixtures)
from tests.notifications import smtp_server


def point_mail_at(settings, port: int, timeout: int = 5) -> None:
    settings.NOTIFICATION_SENDERS = {**settings.NOTIFICATION_SENDERS, "email": "mail"}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = timeout


@pytest.fixture(autouse=True)
def _mail_through_django(settings):
    """E-mail goes through Django's mail API (as with MOTCUA_EMAIL_URL set); tests that point
    it at the loopback SMTP server use ``smtp``."""
    settings.NOTIFICATION_SENDERS = {**settings.NOTIFICATION_SENDERS, "email": "mail"}


@pytest.fixture
def smtp(settings):
    """A real SMTP server (aiosmtpd) on a random local port; Django's SMTP backend points at it."""
    server, stop = smtp_server.start()
    point_mail_at(settings, server.port)
    yield server
    stop()


@pytest.fixture
def run_worker():
    """Run the background tasks due now, as ``motcua worker`` does."""
    from motcua.server.worker import run_due_tasks

    return lambda: run_due_tasks(schedule=False)


@pytest.fixture
def delivering(django_capture_on_commit_callbacks, run_worker):
    """``with delivering(): …``: commit (on-commit callbacks run), then the worker runs."""

    @contextlib.contextmanager
    def block():
        with django_capture_on_commit_callbacks(execute=True):
            yield
        run_worker()

    return block
