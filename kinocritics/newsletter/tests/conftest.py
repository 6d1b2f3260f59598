"""A real SMTP server (aiosmtpd) on loopback for the newsletter tests."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    rcpt_tos: list[str]
    message: email.message.EmailMessage

    @property
    def to(self) -> str:
        return self.rcpt_tos[0]

    def part(self, content_type: str) -> str:
        for part in self.message.walk():
            if part.get_content_type() == content_type and not part.is_multipart():
                return part.get_content()
        raise AssertionError(f"no {content_type} part")


@dataclass
class Handler:
    """Accepts mail like an MTA: a mail counts as received only once the 250 reply goes out."""

    received: list[Received] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)  # address → SMTP reply for RCPT
    refuse_once: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Crash test: on the N-th DATA, hold the reply back and tell the test (which kills the client).
    pause_at: int | None = None
    pause_seconds: float = 1.0
    paused: threading.Event = field(default_factory=threading.Event)
    data_calls: int = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return self.refuse[address]
        if address in self.refuse_once:
            return self.refuse_once.pop(address)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.data_calls += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.pause_at is not None and self.data_calls == self.pause_at:
            self.paused.set()
            await asyncio.sleep(self.pause_seconds)
        if server.transport is None or server.transport.is_closing():
            return "451 client went away"  # never acknowledged, so never accepted
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.received.append(Received(list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_handler():
    """The SMTP server alone, for tests that send from another process."""
    handler = Handler()
    handler.port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    yield handler
    controller.stop()


@pytest.fixture
def smtp_server(settings):
    handler = Handler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    handler.port = port
    yield handler
    controller.stop()
