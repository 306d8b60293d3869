"""Composing and sending the digest email: the only module that uses smtplib.

Safety rules (checklist §6, §7, E5-E8, E13):
- the certificate is verified: `ssl.create_default_context()` for STARTTLS
  and implicit TLS alike (smtplib's own default does not verify);
- every connection has a timeout (smtplib's default waits forever);
- recipients are passed explicitly to `send_message`, never read from
  headers, and the message carries no Bcc;
- header values are built from config and numbers only; anything else that
  goes into a header passes through `header_text`, which removes line breaks
  and RFC 2047 encoded-word markers (CVE-2024-6923: an encoded `=0A` in a
  Subject serialises as a real header line on Python 3.11.7);
- the password comes from $NEWSWATCH_SMTP_PASSWORD and is never logged
  (no `set_debuglevel`).
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import smtplib
import socket
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

from pipeline.config import DigestSettings
from pipeline.errors import MailError
from pipeline.plaintext import one_line

log = logging.getLogger(__name__)

PASSWORD_ENV = "NEWSWATCH_SMTP_PASSWORD"
MAX_HEADER_CHARS = 200
_ADDRESS = re.compile(r"^[^\s<>()\[\]\\,;:\"@]+@[^\s<>()\[\]\\,;:\"@]+$")


@dataclass(frozen=True)
class Letter:
    """What one email says: its subject and both bodies."""

    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Delivery:
    """What the server accepted: the recipients it refused, if any (the others got it)."""

    refused: tuple[str, ...]


def header_text(value: str) -> str:
    """A header value that cannot start another header: one line, no encoded-word markers, capped."""
    # "=?charset?Q?...?=" is decoded by the email package when the header is
    # re-folded; breaking the "=?" opener leaves the text readable and inert.
    return one_line(value).replace("=?", "=\u200b?")[:MAX_HEADER_CHARS]


def check_address(address: str, key: str) -> str:
    """A bare address (local@domain) from the config, or MailError naming the key."""
    if not _ADDRESS.match(address):
        raise MailError(f"[digest] {key}: {address!r} is not an email address (write it as name@example.org)")
    return address


def new_message_id(settings: DigestSettings) -> str:
    """A fresh Message-ID in the sender's domain."""
    domain = check_address(settings.from_, "from").rsplit("@", 1)[1]
    # Short enough that the header is never folded (make_msgid's is ~70 characters).
    return f"<digest.{secrets.token_hex(10)}@{domain}>"


def compose_message(letter: Letter, settings: DigestSettings, *, message_id: str, sent_at: datetime) -> EmailMessage:
    """A multipart/alternative message (plain text, then HTML) with safe headers."""
    recipients = [check_address(a, "to") for a in settings.to]
    if not recipients:
        raise MailError("[digest] to: no recipients; add to = [\"you@example.org\"] to the config")
    msg = EmailMessage()
    msg["Subject"] = header_text(letter.subject)
    msg["From"] = check_address(settings.from_, "from")
    msg["To"] = ", ".join(recipients)
    msg["Date"] = format_datetime(sent_at)
    msg["Message-ID"] = header_text(message_id)
    msg["Auto-Submitted"] = "auto-generated"   # RFC 3834: no vacation replies
    msg.set_content(letter.text, subtype="plain", charset="utf-8")
    msg.add_alternative(letter.html, subtype="html", charset="utf-8")
    return msg


def send_message(msg: EmailMessage, settings: DigestSettings) -> Delivery:
    """Send to the configured recipients (explicit envelope); MailError names the fix."""
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    recipients = [check_address(a, "to") for a in settings.to]
    sender = check_address(settings.from_, "from")
    if not recipients:
        raise MailError("[digest] to: no recipients; add to = [\"you@example.org\"] to the config")
    password = os.environ.get(PASSWORD_ENV, "") if settings.username else ""
    if settings.username and not password:
        raise MailError(f"SMTP login for {settings.username} at {where} needs a password; set {PASSWORD_ENV}")
    del msg["Bcc"]  # envelope recipients are explicit; never let a header add any (checklist E8)
    try:
        smtp = _connect(settings)
    except MailError:
        raise
    except (OSError, smtplib.SMTPException) as exc:
        raise _translate(exc, settings, where) from exc
    try:
        if settings.starttls and not settings.tls:
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        if settings.username:
            smtp.login(settings.username, password)
        refused = smtp.send_message(msg, from_addr=sender, to_addrs=recipients)
    except (OSError, smtplib.SMTPException) as exc:
        smtp.close()
        raise _translate(exc, settings, where) from exc
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()  # the message was accepted; a failed QUIT changes nothing
    if refused:
        log.warning("the SMTP server at %s refused %s", where, ", ".join(sorted(refused)))
    return Delivery(refused=tuple(sorted(refused)))


def _connect(settings: DigestSettings) -> smtplib.SMTP:
    if settings.tls:
        return smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=settings.timeout_s,
                                context=ssl.create_default_context())
    return smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.timeout_s)


def _translate(exc: BaseException, settings: DigestSettings, where: str) -> MailError:
    """One MailError per kind of failure, each naming what to check."""
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return MailError(f"SMTP login failed for {settings.username} at {where}; "
                         f"check [digest] username and set {PASSWORD_ENV}", temporary=False)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return MailError(f"the SMTP server at {where} does not offer STARTTLS; use tls = true "
                         f"(usually port 465) or a server that supports it", temporary=False)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = "; ".join(f"{addr}: {_reply(code, text)}" for addr, (code, text) in exc.recipients.items())
        return MailError(f"the SMTP server at {where} refused every recipient ({codes}); check [digest] to",
                         temporary=_is_temporary(exc.recipients))
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return MailError(f"the SMTP server at {where} refused the sender {exc.sender}: "
                         f"{_reply(exc.smtp_code, exc.smtp_error)}; check [digest] from",
                         temporary=400 <= exc.smtp_code < 500)
    if isinstance(exc, smtplib.SMTPResponseException):
        return MailError(f"the SMTP server at {where} refused the digest: {_reply(exc.smtp_code, exc.smtp_error)}"
                         f"{'; it will be retried' if 400 <= exc.smtp_code < 500 else ''}",
                         temporary=400 <= exc.smtp_code < 500)
    if isinstance(exc, (socket.timeout, TimeoutError)) or isinstance(exc.__context__, TimeoutError):
        # smtplib reports a read timeout as SMTPServerDisconnected("... timed out").
        return MailError(f"no answer from the SMTP server at {where} within {settings.timeout_s:g} s; "
                         f"check [digest] smtp_host and smtp_port, or raise timeout_s")
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return MailError(f"the SMTP server at {where} closed the connection mid-session; "
                         f"the digest stays unsent and is retried")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return MailError(f"the certificate of the SMTP server at {where} could not be verified "
                         f"({exc.verify_message}); fix the server's certificate or smtp_host "
                         f"(newswatch never sends without verification)", temporary=False)
    if isinstance(exc, ssl.SSLError):
        return MailError(f"TLS with the SMTP server at {where} failed ({exc}); check [digest] tls/starttls "
                         f"and smtp_port")
    if isinstance(exc, OSError):
        return MailError(f"cannot reach the SMTP server at {where} ({exc.strerror or exc}); "
                         f"check [digest] smtp_host and smtp_port")
    return MailError(f"sending the digest through {where} failed: {type(exc).__name__}: {exc}")


def _reply(code: int, text: bytes | str) -> str:
    message = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(message.split())}"


def _is_temporary(recipients: dict[str, tuple[int, bytes]]) -> bool:
    return all(400 <= code < 500 for code, _ in recipients.values())


__all__: Sequence[str] = ["Letter", "Delivery", "header_text", "check_address", "new_message_id",
                          "compose_message", "send_message", "PASSWORD_ENV"]
