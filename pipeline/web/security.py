"""Who may do what in `newswatch web` (pure functions; spec: "Web").

- The Host header must name the bound address (or, on loopback, `localhost`):
  a page on another site that rebinds its own name to 127.0.0.1 sends its
  own name as Host and is refused (DNS rebinding; RFC 9110 §7.2).
- A session is a signed cookie (HMAC-SHA256 under a key made at start-up,
  so a restart logs everyone out): a random nonce and, after a login, the
  name the analyst gave. Every form carries a CSRF token derived from the
  nonce; a login gets a new nonce, so a token learnt before it is void.
- The password comes from $NEWSWATCH_WEB_PASSWORD and is compared with
  `hmac.compare_digest` (constant time).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

PASSWORD_ENV = "NEWSWATCH_WEB_PASSWORD"
SESSION_COOKIE = "newswatch_session"
SESSION_LIFETIME = timedelta(hours=12)
MAX_NAME = 80
WILDCARDS = frozenset({"0.0.0.0", "::", ""})

# No script runs at all (the pages need none); styles and images only from this server; forms post only here.
CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                           "frame-ancestors 'none'; base-uri 'none'")
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",      # article links must not tell outlets what an analyst reads
    "cache-control": "no-store",
}


def is_loopback(host: str) -> bool:
    """Is `host` a loopback address (127.0.0.0/8, ::1) or `localhost`?"""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The Host header values a server bound to host:port answers; empty: any (a wildcard bind)."""
    if host in WILDCARDS:
        # Bound to every address, it cannot know its names; a password is then required for everything.
        return frozenset()
    names = {host.lower()}
    if is_loopback(host):
        names |= {"localhost", "127.0.0.1", "[::1]"} if ":" in host else {"localhost", host.lower()}
    names = {f"[{n}]" if ":" in n and not n.startswith("[") else n for n in names}
    hosts = {f"{n}:{port}" for n in names}
    if port == 80:
        hosts |= names
    return frozenset(hosts)


def is_host_allowed(header: str, allowed: frozenset[str]) -> bool:
    """Does the request's Host header name this server?"""
    return not allowed or header.strip().lower() in allowed


def is_password(given: str, expected: str | None) -> bool:
    """The right password? Never when none is set; compared in constant time."""
    if not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


@dataclass(frozen=True)
class WebSession:
    """A browser's session: its nonce (what CSRF tokens derive from) and who logged in ("": nobody)."""

    nonce: str
    user: str
    issued_at: datetime

    @property
    def logged_in(self) -> bool:
        """Has the analyst logged in?"""
        return bool(self.user)


def new_secret() -> bytes:
    """A key for this process's cookies and tokens."""
    return secrets.token_bytes(32)


def new_session(now: datetime, user: str = "") -> WebSession:
    """A fresh session (a new nonce: a login never keeps the anonymous one)."""
    return WebSession(nonce=secrets.token_urlsafe(18), user=user, issued_at=now)


def _mac(secret: bytes, purpose: str, value: str) -> str:
    return hmac.new(secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def encode_session(secret: bytes, session: WebSession) -> str:
    """The cookie value: the session as JSON (base64url), a dot, its HMAC."""
    data = json.dumps({"n": session.nonce, "u": session.user, "t": session.issued_at.isoformat()},
                      separators=(",", ":"))
    payload = base64.urlsafe_b64encode(data.encode()).decode("ascii").rstrip("=")
    return f"{payload}.{_mac(secret, 'session', payload)}"


def decode_session(secret: bytes, cookie: str | None, now: datetime) -> WebSession | None:
    """The session a cookie holds, or None when it is missing, forged, malformed or expired."""
    if not cookie or "." not in cookie:
        return None
    payload, mac = cookie.rsplit(".", 1)
    if not hmac.compare_digest(mac, _mac(secret, "session", payload)):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        session = WebSession(nonce=str(data["n"]), user=str(data["u"]),
                             issued_at=datetime.fromisoformat(str(data["t"])))
    except (ValueError, KeyError, TypeError):
        return None
    if not now - SESSION_LIFETIME <= session.issued_at <= now + timedelta(minutes=5):
        return None
    return session


def csrf_token(secret: bytes, session: WebSession) -> str:
    """The token every form of this session carries."""
    return _mac(secret, "csrf", session.nonce)


def is_csrf_token(secret: bytes, session: WebSession | None, given: str) -> bool:
    """Does a submitted form carry this session's token?"""
    return session is not None and bool(given) and hmac.compare_digest(given, csrf_token(secret, session))


def clean_name(name: str) -> str:
    """The reviewer's name as recorded: one line of printable text, at most MAX_NAME characters."""
    return " ".join("".join(ch for ch in name if ch.isprintable()).split())[:MAX_NAME]


def local_path(target: str, default: str = "/") -> str:
    """`target` when it is a path on this server ("/claims?topic=s400"), else `default` (no open redirect)."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target \
            and all(ch.isprintable() and not ch.isspace() for ch in target):
        return target
    return default
