"""A fake SMTP server (aiosmtpd) on 127.0.0.1 that keeps every message it accepts.

``stop()`` and ``start()`` take it down and bring it back on the same port, to test what happens
while the mail server is unreachable.
"""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Delivered:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


class _Handler:
    def __init__(self, inbox: list[Delivered]):
        self.inbox = inbox

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        data = envelope.original_content.replace(b"\r\n", b"\n")  # SMTP's line ends, as a mail client reads
        message = email.message_from_bytes(data, policy=email.policy.default)
        self.inbox.append(Delivered(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class _Controller(Controller):
    def _trigger_server(self) -> None:
        # Asked for port 0, the server is bound to a free port: learn it before aiosmtpd connects.
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class FakeSmtp:
    def __init__(self) -> None:
        self.inbox: list[Delivered] = []
        self.port = 0
        self._controller: _Controller | None = None

    @property
    def config(self) -> dict[str, object]:
        return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": self.port, "SMTP_STARTTLS": False}

    def start(self) -> None:
        self._controller = _Controller(_Handler(self.inbox), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        self.port = self._controller.port

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def fake_smtp() -> Iterator[FakeSmtp]:
    server = FakeSmtp()
    server.start()
    try:
        yield server
    finally:
        server.stop()
