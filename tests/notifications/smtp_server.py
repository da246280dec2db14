"""A real SMTP server on loopback for the tests: aiosmtpd's ``Controller`` in a thread.

``start(port=None, delay=0)`` returns the server's description (``received`` fills as mail
arrives) and a function that stops it. ``port`` restarts a server where a stopped one was
(the outage tests); ``delay`` makes it answer DATA that many seconds late (a slow server).
"""

from __future__ import annotations

import email
import email.policy
import socket
import time
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller


@dataclass
class Received:
    mail_from: str
    rcpt_to: list[str]
    data: bytes

    @property
    def message(self) -> email.message.EmailMessage:
        """The parsed message. Django folds a long encoded Subject onto a continuation line,
        so the decoded header may start with the folding space: compare it stripped."""
        return email.message_from_bytes(self.data, policy=email.policy.default)


@dataclass
class SMTPServer:
    host: str
    port: int
    received: list[Received] = field(default_factory=list)


class _Handler:
    def __init__(self, received: list[Received], delay: float):
        self.received = received
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content or envelope.content))
        return "250 OK queued"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(port: int | None = None, delay: float = 0, received: list[Received] | None = None):
    """Start a server; return its description and a function that stops it."""
    port = port or free_port()
    info = SMTPServer("127.0.0.1", port, received if received is not None else [])
    controller = Controller(_Handler(info.received, delay), hostname="127.0.0.1", port=port, ready_timeout=10)
    for _ in range(50):  # a just-closed port may linger a moment
        try:
            controller.start()
            break
        except (OSError, RuntimeError):
            time.sleep(0.1)
    else:
        controller.start()
    return info, controller.stop
