import re

import pytest

from tests.notifications import smtp_server
from tests.notifications.conftest import point_mail_at


@pytest.fixture
def smtp(settings):
    """A real SMTP server (aiosmtpd) on a loopback port; Django's SMTP backend points at it."""
    server, stop = smtp_server.start()
    point_mail_at(settings, server.port)
    yield server
    stop()


def link_in(received, path_part: str) -> str:
    """The first link in the last message whose path contains ``path_part``, as a site path."""
    body = received[-1].message.get_body(preferencelist=("plain",)).get_content()
    urls = re.findall(r"https?://[^\s]+", body)
    url = next(u for u in urls if path_part in u)
    return "/" + url.split("/", 3)[3]
