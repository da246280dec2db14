import pytest

from tests.files.conftest import media_dir, online_dossier  # noqa: F401  (shared fixtures)
from tests.notifications import smtp_server


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a random local port; Django's SMTP backend points at it."""
    server, stop = smtp_server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    stop()
