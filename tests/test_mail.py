"""Composing and sending mail: safe headers, explicit envelope, login, TLS verification, real servers."""

from __future__ import annotations

import logging
import shutil
import ssl
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from pipeline import mail
from pipeline.config import DigestSettings
from pipeline.errors import MailError
from tests.smtp import RecordingHandler, free_port, recording_server

SENT_AT = datetime(2026, 3, 13, 7, 0, tzinfo=UTC)
LETTER = mail.Letter(subject="newswatch digest 2026-03-13: 1 change, 2 new articles", text="plain body",
                     html="<p>html body</p>")


def settings(port: int = 25, **options: Any) -> DigestSettings:
    values: dict[str, Any] = {"to": ("analyst@example.org",), "from_": "newswatch@example.org",
                              "smtp_host": "127.0.0.1", "smtp_port": port, "timeout_s": 2.0}
    values.update(options)
    return DigestSettings(**values)


@pytest.mark.parametrize("hostile", [
    "Subject\r\nBcc: attacker@evil.example",
    "=?UTF-8?Q?=0A?=Bcc: attacker@evil.example",
    "=?utf-8?b?Cg==?=Bcc: attacker@evil.example",
    "a\x0bb\x0cc\u2028Bcc: attacker@evil.example",
])
def test_a_hostile_subject_stays_one_header(hostile: str) -> None:
    letter = mail.Letter(subject=hostile, text="t", html="<p>h</p>")
    raw = mail.compose_message(letter, settings(), message_id="<x@example.org>", sent_at=SENT_AT).as_bytes()
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["Bcc"] is None
    assert not any(line.lower().startswith(b"bcc:") for line in raw.split(b"\n"))
    assert "attacker@evil.example" in str(parsed["Subject"])   # kept as inert text


def test_header_text_is_one_capped_line() -> None:
    assert mail.header_text("a\r\n b\tc") == "a b c"
    assert "=?" not in mail.header_text("=?UTF-8?Q?=0A?=")
    assert len(mail.header_text("x" * 5000)) == mail.MAX_HEADER_CHARS


@pytest.mark.parametrize("bad", ["a@b.example\r\nBcc: c@d.example", "not an address", "Name <a@b.example>"])
def test_config_addresses_must_be_bare_addresses(bad: str) -> None:
    with pytest.raises(MailError, match=r"\[digest\] to"):
        mail.compose_message(LETTER, settings(to=(bad,)), message_id="<x@example.org>", sent_at=SENT_AT)


def test_the_envelope_is_the_configured_list_whatever_the_headers_say() -> None:
    with recording_server() as (handler, port):
        msg = mail.compose_message(LETTER, settings(port), message_id="<x@example.org>", sent_at=SENT_AT)
        msg["Bcc"] = "attacker@evil.example"
        msg.replace_header("To", "attacker@evil.example")
        mail.send_message(msg, settings(port))
    assert handler.received[0].rcpt_tos == ["analyst@example.org"]
    assert b"Bcc" not in handler.received[0].data


def test_no_recipients_is_an_error_that_names_the_key() -> None:
    with pytest.raises(MailError, match=r"\[digest\] to"):
        mail.send_message(mail.compose_message(LETTER, settings(), message_id="<x@e.org>", sent_at=SENT_AT),
                          settings(to=()))


class _Authenticator:
    def __init__(self) -> None:
        self.seen: list[tuple[bytes, bytes]] = []

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        self.seen.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"s3cret-pw", handled=False)


@pytest.fixture
def auth_server() -> Iterator[tuple[RecordingHandler, _Authenticator, int]]:
    handler, authenticator, port = RecordingHandler(), _Authenticator(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, authenticator=authenticator,
                            auth_require_tls=False)
    controller.start()
    yield handler, authenticator, port
    controller.stop()


def test_login_uses_the_password_from_the_environment_and_never_logs_it(
        auth_server: tuple[RecordingHandler, _Authenticator, int], monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    handler, authenticator, port = auth_server
    monkeypatch.setenv(mail.PASSWORD_ENV, "s3cret-pw")
    caplog.set_level(logging.DEBUG)
    conf = settings(port, username="alice")
    mail.send_message(mail.compose_message(LETTER, conf, message_id="<x@e.org>", sent_at=SENT_AT), conf)
    assert authenticator.seen == [(b"alice", b"s3cret-pw")]
    assert len(handler.received) == 1
    assert "s3cret-pw" not in caplog.text


def test_a_wrong_password_names_the_fix(auth_server: tuple[RecordingHandler, _Authenticator, int],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    _, _, port = auth_server
    monkeypatch.setenv(mail.PASSWORD_ENV, "wrong")
    conf = settings(port, username="alice")
    with pytest.raises(MailError, match="login failed for alice.*NEWSWATCH_SMTP_PASSWORD") as error:
        mail.send_message(mail.compose_message(LETTER, conf, message_id="<x@e.org>", sent_at=SENT_AT), conf)
    assert "wrong" not in str(error.value)


def test_a_username_without_password_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(mail.PASSWORD_ENV, raising=False)
    conf = settings(username="alice")
    with pytest.raises(MailError, match="set NEWSWATCH_SMTP_PASSWORD"):
        mail.send_message(mail.compose_message(LETTER, conf, message_id="<x@e.org>", sent_at=SENT_AT), conf)


@pytest.fixture
def self_signed(tmp_path: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True, timeout=60)
    return cert, key


def test_starttls_with_an_untrusted_certificate_is_refused_before_login(
        self_signed: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*self_signed)
    handler, authenticator, port = RecordingHandler(), _Authenticator(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                            authenticator=authenticator)
    controller.start()
    monkeypatch.setenv(mail.PASSWORD_ENV, "s3cret-pw")
    conf = settings(port, starttls=True, username="alice")
    try:
        with pytest.raises(MailError, match="could not be verified"):
            mail.send_message(mail.compose_message(LETTER, conf, message_id="<x@e.org>", sent_at=SENT_AT), conf)
    finally:
        controller.stop()
    assert authenticator.seen == [] and handler.received == []
