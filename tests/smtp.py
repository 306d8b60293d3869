"""Real SMTP servers on 127.0.0.1 for the mail and digest tests.

    recording_server   aiosmtpd that keeps every envelope (or answers with a given error)
    silent_server      accepts the connection and never says a word (a hung server)
    hangup_server      greets, answers EHLO, then closes the connection mid-session
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        msg = message_from_bytes(self.data, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        return msg


@dataclass
class RecordingHandler:
    """Keeps what it is sent; `reply` replaces the 250 (e.g. "550 5.7.1 no"); `gate` holds DATA."""

    reply: str = "250 OK"
    received: list[Received] = field(default_factory=list)
    gate: threading.Event | None = None
    in_data: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.in_data.set()
        if self.gate is not None:
            import asyncio
            while not self.gate.is_set():
                await asyncio.sleep(0.01)
        if self.reply.startswith("250"):
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return self.reply


@contextmanager
def recording_server(handler: RecordingHandler | None = None) -> Iterator[tuple[RecordingHandler, int]]:
    handler = handler or RecordingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@contextmanager
def raw_server(behaviour: str) -> Iterator[int]:
    """'silent': accept and say nothing; 'hangup': greet, answer EHLO, close on the next command."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(0.2)
    port = int(listener.getsockname()[1])
    stop = threading.Event()
    held: list[socket.socket] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            held.append(conn)
            if behaviour == "hangup":
                conn.settimeout(5)
                conn.sendall(b"220 test ESMTP\r\n")
                conn.recv(1024)  # EHLO
                conn.sendall(b"250-test\r\n250 8BITMIME\r\n")
                conn.recv(1024)  # MAIL FROM
                conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        stop.set()
        thread.join(timeout=5)
        for conn in held:
            conn.close()
        listener.close()
