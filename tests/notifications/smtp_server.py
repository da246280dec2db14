"""A minimal SMTP receiver for tests (RFC 5321 subset: HELO/EHLO, MAIL, RCPT, DATA, RSET,
NOOP, QUIT) on 127.0.0.1 with a random port. Python 3.12 dropped ``smtpd`` and
``aiosmtpd`` is not installed, so this is the real wire protocol in ~60 lines."""

from __future__ import annotations

import email
import email.policy
import socketserver
import threading
from dataclasses import dataclass, field


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


def _address(argument: str) -> str:
    value = argument.split(":", 1)[1].strip() if ":" in argument else argument
    return value.split()[0].strip("<>") if value else ""


class _Session(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        self.reply("220 motcua-test ESMTP ready")
        mail_from, rcpt_to = "", []
        while True:
            raw = self.rfile.readline(4096)
            if not raw:
                return
            line = raw.decode("ascii", "replace").rstrip("\r\n")
            verb, _, argument = line.partition(" ")
            verb = verb.upper()
            if verb == "EHLO":
                self.wfile.write(b"250-motcua-test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                self.wfile.flush()
            elif verb == "HELO":
                self.reply("250 motcua-test")
            elif verb == "MAIL":
                mail_from, rcpt_to = _address(argument), []
                self.reply("250 OK")
            elif verb == "RCPT":
                rcpt_to.append(_address(argument))
                self.reply("250 OK")
            elif verb == "DATA":
                if not rcpt_to:
                    self.reply("503 RCPT first")
                    continue
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while True:
                    chunk = self.rfile.readline()
                    if not chunk or chunk in (b".\r\n", b".\n"):
                        break
                    lines.append(chunk[1:] if chunk.startswith(b"..") else chunk)  # undo dot-stuffing
                self.server.received.append(Received(mail_from, list(rcpt_to), b"".join(lines)))
                mail_from, rcpt_to = "", []
                self.reply("250 OK queued")
            elif verb == "RSET":
                mail_from, rcpt_to = "", []
                self.reply("250 OK")
            elif verb == "NOOP":
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


@dataclass
class SMTPServer:
    host: str
    port: int
    received: list[Received] = field(default_factory=list)


class _ThreadingServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def start() -> tuple[SMTPServer, callable]:
    """Start a server; return its description and a function that stops it."""
    server = _ThreadingServer(("127.0.0.1", 0), _Session)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    info = SMTPServer("127.0.0.1", server.server_address[1], server.received)

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return info, stop
