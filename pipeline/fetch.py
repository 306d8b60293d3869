"""HTTP fetching for feeds and pages: conditional GET, limits, the address guard.

The only module that imports httpx (and httpcore, whose network backend it
replaces). Everything it returns is a frozen record; every library exception
is translated here, once, into the tree of `pipeline.errors`:

    FetchError(reason=...)          retryable unless noted
     |  "timeout"                   connect/read timeout or the total deadline
     |  "connection failed"         refused, unreachable, reset before a response
     |  "DNS lookup failed"
     |  "TLS certificate error"     the certificate did not verify (no insecure fallback)
     |  "TLS error"                 any other handshake failure
     |  "connection closed early (truncated body)"
     |  "connection closed early (no response)"
     |  "invalid HTTP response"
     |  "too many redirects"        a loop, or more than [fetch] max_redirects
     |  "too large ..."             over [fetch] max_bytes, decompressed (not retryable)
     |  "bad content encoding"      unknown Content-Encoding or a corrupt compressed body
     |  "empty response"            a 2xx with no body
     |  "bot challenge"             403 with `cf-mitigated: challenge`
     |  "HTTP 404 Not Found" ...    4xx/5xx with `status`; 410 is not retryable;
     |                              429/503 carry `retry_after_s`
     |  "file not found" ...        local feed files
     +-- BlockedURLError            scheme, host allowlist or address guard (not retryable)

Why the guard sits in a network backend: checking a name and then letting
the HTTP library resolve it again leaves a DNS-rebinding window. The backend
resolves once, checks every address, and dials the checked address itself;
TLS still uses the host name for SNI and certificate checks (httpcore passes
the origin host to `start_tls`). The same backend clamps every socket read,
write and connect to the fetch's total deadline, because httpx timeouts are
per operation and a server dripping one byte at a time never trips them.
"""

from __future__ import annotations

import http
import ipaddress
import logging
import mimetypes
import re
import socket
import ssl
import stat
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime, timezone
from email.utils import formatdate, parsedate_to_datetime
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import httpcore
import httpx

from pipeline.config import FetchSettings
from pipeline.errors import BlockedURLError, FetchError
from pipeline.records import FetchResult as FetchResult
from pipeline.records import Validators as Validators

logger = logging.getLogger(__name__)

MAX_URL_LENGTH = 2048
RETRY_AFTER_CAP_S = 86_400.0
DEFAULT_ACCEPT = ("application/rss+xml, application/atom+xml, application/rdf+xml, "
                  "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8")
# Only what we can decode with a bounded decoder; brotli/zstd are not installed.
ACCEPT_ENCODING = "gzip, deflate"
_CHUNK = 64 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})
_FIX = "set [fetch] allow_private_addresses = true for local test feeds"

Resolver = Callable[[str, int], list[str]]


# --- Retry-After ----------------------------------------------------------------


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After value (RFC 9110 §10.2.3); None if unusable."""
    if value is None:
        return None
    text = value.strip()
    if re.fullmatch(r"[0-9]{1,12}", text):
        seconds = float(int(text))
    elif re.fullmatch(r"[0-9]+", text):
        seconds = RETRY_AFTER_CAP_S             # absurdly many digits: still "later"
    else:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:                 # HTTP-dates are GMT by definition
            when = when.replace(tzinfo=timezone.utc)
        if now.tzinfo is None:
            now = now.replace(tzinfo=timezone.utc)
        seconds = (when - now).total_seconds()
    # Zero or past would make the caller retry at once: fall back to its backoff.
    if seconds <= 0:
        return None
    return min(seconds, RETRY_AFTER_CAP_S)


# --- the address guard ------------------------------------------------------------

# Explicit tables rather than `ipaddress` flags alone: on Python 3.11.7,
# 100.64/10 is not `is_private`, 192.0.0.192 (Oracle metadata) is `is_global`,
# and `::ffff:127.0.0.1` is not `is_loopback` (reliability checklist, trap 9).
_METADATA = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254",      # AWS, GCP, Azure, OpenStack
    "169.254.170.2",        # AWS ECS task metadata
    "100.100.100.200",      # Alibaba Cloud
    "168.63.129.16",        # Azure wire server (a public-looking address)
    "192.0.0.192",          # Oracle Cloud
    "fd00:ec2::254",        # AWS IPv6
))
_V4_NETS: tuple[tuple[ipaddress.IPv4Network, str], ...] = tuple(
    (ipaddress.IPv4Network(net), label) for net, label in (
        ("127.0.0.0/8", "a loopback address"),
        ("0.0.0.0/8", "an unspecified address"),
        ("10.0.0.0/8", "a private address"),
        ("172.16.0.0/12", "a private address"),
        ("192.168.0.0/16", "a private address"),
        ("169.254.0.0/16", "a link-local address"),
        ("100.64.0.0/10", "a shared (CGNAT) address"),
        ("192.0.0.0/24", "an IETF protocol address"),
        ("192.0.2.0/24", "a documentation address"),
        ("198.51.100.0/24", "a documentation address"),
        ("203.0.113.0/24", "a documentation address"),
        ("192.88.99.0/24", "a 6to4 relay address"),
        ("198.18.0.0/15", "a benchmarking address"),
        ("224.0.0.0/4", "a multicast address"),
        ("240.0.0.0/4", "a reserved address"),
    ))
_V6_NETS: tuple[tuple[ipaddress.IPv6Network, str], ...] = tuple(
    (ipaddress.IPv6Network(net), label) for net, label in (
        ("::1/128", "a loopback address"),
        ("::/128", "an unspecified address"),
        ("fe80::/10", "a link-local address"),
        ("fec0::/10", "a site-local address"),
        ("fc00::/7", "a private (unique local) address"),
        ("ff00::/8", "a multicast address"),
        ("64:ff9b:1::/48", "a local-use NAT64 address"),
        ("100::/64", "a discard-only address"),
        ("2001::/23", "an IETF protocol address"),   # Teredo, benchmarking, ORCHID
        ("2001:db8::/32", "a documentation address"),
        ("3fff::/20", "a documentation address"),
        ("5f00::/16", "an SRv6 address"),
        ("::/8", "a reserved address"),              # IPv4-compatible ::a.b.c.d lands here too
    ))
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_SIIT = ipaddress.IPv6Network("::ffff:0:0:0/96")
_COMPAT = ipaddress.IPv6Network("::/96")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 form carries: mapped, compatible, NAT64, SIIT or 6to4."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64 or ip in _SIIT or (ip in _COMPAT and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFF_FFFF)
    return None


def blocked_address_reason(address: str) -> str | None:
    """Why an IP address is not a public unicast destination ("a loopback address"), or None."""
    try:
        # A zone id ("fe80::1%eth0") belongs to IPv6 only; "1.2.3.4%09" is no address.
        ip = ipaddress.ip_address(address.split("%", 1)[0] if ":" in address else address)
    except ValueError:
        return "not an IP address"
    if ip in _METADATA:
        return "a cloud metadata address"
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            reason = blocked_address_reason(str(inner))
            return f"{reason} in IPv6 form ({inner})" if reason else None
        nets: Iterable[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str]] = _V6_NETS
    else:
        nets = _V4_NETS
    for net, label in nets:
        if ip in net:
            return label
    if ip == ipaddress.IPv4Address("255.255.255.255"):
        return "a broadcast address"
    # Second layer for anything the tables miss (unmapped first, as above).
    if ip.is_reserved or not ip.is_global:
        return "not a public address"
    return None


def ip_literal(host: str) -> str | None:
    """The address to dial when the URL's host is an IP literal, else None.

    A zone id is accepted on IPv6 literals only ("fe80::1%25eth0" in a URL,
    RFC 6874). Anything else with a "%" is no address and no host name either:
    cutting the "%..." off for the check and handing the whole string to the
    resolver (a hosts-file entry could answer 127.0.0.1) let
    "http://93.184.216.34%09/" pass as public (issue 13).
    """
    candidate = host.replace("%25", "%", 1) if ":" in host else host
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def _default_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class _Refused(Exception):
    """The guard refused an address; the message names the fix."""


class _LookupFailed(Exception):
    """Name resolution failed or returned nothing."""


class _Guard:
    """Resolves a host and checks every address it resolves to."""

    def __init__(self, resolver: Resolver, allow_private: bool) -> None:
        self._resolver = resolver
        self._allow_private = allow_private

    def resolve(self, host: str, port: int) -> list[str]:
        """The host's addresses, all of them allowed, or `_Refused`/`_LookupFailed`."""
        literal = ip_literal(host)
        if literal is not None:
            addresses = [literal]   # dialled exactly as checked
        elif "%" in host:
            raise _Refused(f"{host} is neither an IP address nor a host name (a zone id is allowed only on "
                           f"IPv6 literals); fix the URL")
        else:
            try:
                addresses = list(self._resolver(host, port))
            except (OSError, UnicodeError) as exc:
                raise _LookupFailed(f"{host}: {exc}") from exc
            if not addresses:
                raise _LookupFailed(f"{host}: no addresses")
        if not self._allow_private:
            for address in addresses:
                reason = blocked_address_reason(address)
                if reason is not None:
                    raise _Refused(_refusal(host, address, reason))
        return addresses


def _refusal(host: str, address: str, reason: str) -> str:
    subject = f"{address} is" if host == address else f"{host} resolves to {address},"
    return f"{subject} {reason} (private network); {_FIX}"


# --- the network backend: dial only checked addresses, within the deadline ----------


class _Deadline:
    """Per-thread total deadline of the fetch running in that thread (monotonic time)."""

    def __init__(self) -> None:
        self._local = threading.local()

    def set(self, at: float | None) -> None:
        self._local.at = at

    def clamp(self, timeout: float | None, timeout_error: type[Exception]) -> float | None:
        """`timeout` shortened to what is left of the deadline; raise if nothing is."""
        at: float | None = getattr(self._local, "at", None)
        if at is None:
            return timeout
        left = at - time.monotonic()
        if left <= 0:
            raise timeout_error("total fetch deadline passed")
        return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream, deadline: _Deadline) -> None:
        self._inner = inner
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._deadline.clamp(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._deadline.clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname,
                                      self._deadline.clamp(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(inner, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _GuardedBackend(httpcore.NetworkBackend):
    def __init__(self, guard: _Guard, deadline: _Deadline) -> None:
        self._guard = guard
        self._deadline = deadline
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
                    ) -> httpcore.NetworkStream:
        last: httpcore.ConnectError | None = None
        for address in self._guard.resolve(host, port):
            try:
                stream = self._inner.connect_tcp(
                    address, port, self._deadline.clamp(timeout, httpcore.ConnectTimeout),
                    local_address=local_address, socket_options=socket_options)
            except httpcore.ConnectError as exc:
                last = exc
                continue
            return _DeadlineStream(stream, self._deadline)
        assert last is not None  # resolve() never returns an empty list
        raise last

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
                            ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not used by newswatch")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _GuardedTransport(httpx.HTTPTransport):
    """httpx's transport over our backend (httpx has no public hook for a backend)."""

    def __init__(self, backend: httpcore.NetworkBackend, limits: httpx.Limits) -> None:
        super().__init__(limits=limits)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True, http2=False, retries=0,
            network_backend=backend,
        )


# --- bounded decoding of Content-Encoding ----------------------------------------


class _BadEncoding(Exception):
    """A Content-Encoding we cannot decode, or a corrupt compressed body."""


class _Inflater:
    """One gzip or deflate layer; never yields more than _CHUNK bytes per piece."""

    def __init__(self, encoding: str) -> None:
        self._gzip = encoding in ("gzip", "x-gzip")
        self._raw_fallback = not self._gzip     # "deflate" is zlib-wrapped, some servers send raw
        self._started = False
        self._obj = self._new()

    def _new(self, raw: bool = False) -> Any:
        if self._gzip:
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        return zlib.decompressobj(-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        """Decompress `data` lazily, in bounded pieces (the bomb never materialises)."""
        while True:
            if self._obj.eof:
                rest = self._obj.unused_data + data
                if not (self._gzip and rest[:2] == b"\x1f\x8b"):
                    return                      # trailing garbage after the stream: ignored
                self._obj = self._new()         # a further gzip member
                data = rest
            try:
                out = self._obj.decompress(data, _CHUNK)
            except zlib.error as exc:
                if self._raw_fallback and not self._started:
                    self._raw_fallback = False
                    self._obj = self._new(raw=True)
                    continue
                raise _BadEncoding(str(exc)) from exc
            self._started = True
            if out:
                yield out
            data = self._obj.unconsumed_tail
            if not data and len(out) < _CHUNK and not (self._obj.eof and self._obj.unused_data):
                return

    def finish(self) -> None:
        """Raise unless the compressed stream ended properly."""
        if self._started and not self._obj.eof:
            raise _BadEncoding("compressed body ends early")


def _decoders(content_encoding: str | None) -> list[_Inflater]:
    """Decoders in the order to apply them (the reverse of the header's order)."""
    codings = [c.strip().lower() for c in (content_encoding or "").split(",")]
    layers: list[_Inflater] = []
    for coding in reversed(codings):
        if coding in ("", "identity"):
            continue
        if coding not in ("gzip", "x-gzip", "deflate"):
            raise _BadEncoding(f"unsupported Content-Encoding {coding!r}")
        layers.append(_Inflater(coding))
    return layers


def _decode(layers: list[_Inflater], data: bytes) -> Iterator[bytes]:
    if not layers:
        if data:
            yield data
        return
    for piece in layers[0].feed(data):
        yield from _decode(layers[1:], piece)


# --- the fetcher ---------------------------------------------------------------------


class Fetcher:
    """Fetches feeds and pages under the [fetch] limits; safe to share between threads."""

    def __init__(self, settings: FetchSettings, *, transport: httpx.BaseTransport | None = None,
                 resolver: Resolver | None = None) -> None:
        self._settings = settings
        self._deadline = _Deadline()
        self._guard = _Guard(resolver or _default_resolver, settings.allow_private_addresses)
        self._allowed_hosts = frozenset(_normalise_host(h) for h in settings.allowed_hosts if h.strip())
        # An injected transport (tests) bypasses our backend, so each hop is then
        # checked before it is sent; with our backend the check happens at dial time.
        self._check_before_send = transport is not None
        if transport is None:
            limits = httpx.Limits(max_connections=max(10, 2 * settings.workers),
                                  max_keepalive_connections=settings.workers)
            transport = _GuardedTransport(_GuardedBackend(self._guard, self._deadline), limits)
        # No cookie is ever stored: feeds must not influence each other's requests.
        cookies = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
        self._client = httpx.Client(transport=transport, follow_redirects=False, trust_env=False,
                                    cookies=cookies, timeout=settings.timeout_s,
                                    headers={"User-Agent": settings.user_agent})

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close pooled connections."""
        self._client.close()

    def fetch(self, url: str, validators: Validators | None = None, *,
              accept: str = DEFAULT_ACCEPT) -> FetchResult:
        """GET an http(s) URL (or read a local feed file) within the [fetch] limits."""
        if len(url) > MAX_URL_LENGTH:
            raise FetchError(url, f"URL too long (over {MAX_URL_LENGTH} characters)", retryable=False)
        try:
            scheme = urlsplit(url).scheme.lower()
        except ValueError as exc:
            raise FetchError(url, f"invalid URL ({exc})", retryable=False) from exc
        if scheme in ("http", "https"):
            self._deadline.set(time.monotonic() + self._settings.timeout_s)
            try:
                return self._fetch_http(url, validators or Validators(), accept)
            finally:
                self._deadline.set(None)
        if scheme in ("", "file") or _is_windows_path(url, scheme):
            return self._read_file(url, scheme, validators or Validators())
        raise BlockedURLError(url, f"refused: {scheme}: URLs are not fetched; "
                                   "use an http(s) URL or a local file path")

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> int:
        """POST a body to an http(s) URL (a webhook) under the same guard, allowlist and deadline; the status.

        Redirects are not followed: a POST is not repeated elsewhere (RFC 9110
        15.4), and a webhook that moved is the user's to update. The response
        body is never read.
        """
        try:
            target = httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise FetchError(url, f"invalid URL ({exc})", retryable=False) from exc
        self._check_hop(url, target, None)
        self._deadline.set(time.monotonic() + self._settings.timeout_s)
        try:
            request = self._client.build_request("POST", target, content=body, headers=dict(headers),
                                                 timeout=httpx.Timeout(self._left(url)))
            try:
                response = self._client.send(request, stream=True)
            except Exception as exc:
                raise _translate(url, None, exc, reading_body=False) from exc
            response.close()
            return response.status_code
        finally:
            self._deadline.set(None)

    # -- HTTP -------------------------------------------------------------------------

    def _fetch_http(self, url: str, validators: Validators, accept: str) -> FetchResult:
        headers = {"Accept": accept, "Accept-Encoding": ACCEPT_ENCODING}
        if validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        try:
            current = httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise FetchError(url, f"invalid URL ({exc})", retryable=False) from exc
        seen = {str(current)}
        permanent: str | None = None
        all_permanent = True
        previous: httpx.URL | None = None
        for _ in range(self._settings.max_redirects + 1):
            self._check_hop(url, current, previous)
            response = self._send(url, current, headers, redirected=previous is not None)
            try:
                location = response.headers.get("Location")
                if response.status_code not in _REDIRECTS or location is None:
                    return self._finish(url, response, validators, permanent)
                try:
                    scheme = urlsplit(location.strip()).scheme.lower()
                    if scheme not in ("", "http", "https"):
                        raise BlockedURLError(url, f"refused: redirect to {location.strip()[:200]}: "
                                                   f"{scheme}: URLs are not fetched")
                    target = current.join(location.strip())
                except (httpx.InvalidURL, ValueError) as exc:
                    raise FetchError(url, f"invalid redirect Location ({exc})", retryable=False) from exc
            finally:
                response.close()    # a redirect's body is never read
            if response.status_code in _PERMANENT and all_permanent:
                permanent = str(target)
            else:
                all_permanent = False
            logger.debug("%s: %d redirect to %s", url, response.status_code, target)
            if str(target) in seen:
                raise FetchError(url, "too many redirects")   # a loop: no cookies, so it never ends
            seen.add(str(target))
            previous, current = current, target
        raise FetchError(url, "too many redirects")

    def _check_hop(self, url: str, hop: httpx.URL, previous: httpx.URL | None) -> None:
        """Scheme, length, host allowlist and (with an injected transport) the address guard."""
        where = "" if previous is None else f"redirect to {hop}: "
        if hop.scheme not in ("http", "https"):
            raise BlockedURLError(url, f"refused: {where}{hop.scheme}: URLs are not fetched")
        if previous is not None and previous.scheme == "https" and hop.scheme == "http":
            raise BlockedURLError(url, f"refused: {where}a downgrade from https to http")
        if len(str(hop)) > MAX_URL_LENGTH:
            raise FetchError(url, f"{where}URL too long (over {MAX_URL_LENGTH} characters)",
                             retryable=False)
        host = hop.raw_host.decode("ascii")
        if not host:
            raise FetchError(url, f"invalid URL ({where}no host)", retryable=False)
        if self._allowed_hosts and _normalise_host(host) not in self._allowed_hosts \
                and _normalise_host(hop.host) not in self._allowed_hosts:
            raise BlockedURLError(url, f"refused: {where}{hop.host} is not in [fetch] allowed_hosts; "
                                       "add it there to fetch from it")
        if self._check_before_send:
            try:
                self._guard.resolve(host, hop.port or (443 if hop.scheme == "https" else 80))
            except _Refused as exc:
                raise BlockedURLError(url, f"refused: {where}{exc}") from None
            except _LookupFailed as exc:
                raise FetchError(url, "DNS lookup failed") from exc

    def _send(self, url: str, hop: httpx.URL, headers: dict[str, str], *,
              redirected: bool) -> httpx.Response:
        left = self._left(url)
        request = self._client.build_request("GET", hop, headers=headers, timeout=httpx.Timeout(left))
        try:
            return self._client.send(request, stream=True)
        except Exception as exc:
            raise _translate(url, hop if redirected else None, exc, reading_body=False) from exc

    def _finish(self, url: str, response: httpx.Response, validators: Validators,
                permanent: str | None) -> FetchResult:
        status = response.status_code
        headers = response.headers
        final = str(response.url)
        fresh = not _expired(headers.get("Expires"))
        if status == 304:
            # RFC 9110 §15.4.5: a 304 may repeat or update the validators; keep the old ones otherwise.
            return FetchResult(url=final, status=304, body=b"", not_modified=True,
                               etag=(headers.get("ETag") or validators.etag) if fresh else None,
                               last_modified=(headers.get("Last-Modified") or validators.last_modified)
                               if fresh else None,
                               content_type=headers.get("Content-Type"), permanent_redirect=permanent)
        if status == 403 and headers.get("cf-mitigated", "").strip().lower() == "challenge":
            raise FetchError(url, "bot challenge", status=status)
        if status >= 400:
            retry_after = None
            if status in (429, 503):
                retry_after = parse_retry_after(headers.get("Retry-After"), datetime.now(timezone.utc))
            raise FetchError(url, f"HTTP {status} {_phrase(response)}", status=status,
                             retryable=status != 410, retry_after_s=retry_after)
        if status in _REDIRECTS:
            raise FetchError(url, f"HTTP {status} redirect without a Location", status=status)
        if not 200 <= status < 300 or status == 206:
            raise FetchError(url, f"HTTP {status} {_phrase(response)}", status=status)
        body = self._read_body(url, response)
        return FetchResult(url=final, status=status, body=body, not_modified=False,
                           etag=headers.get("ETag") if fresh else None,
                           last_modified=headers.get("Last-Modified") if fresh else None,
                           content_type=headers.get("Content-Type"), permanent_redirect=permanent)

    def _read_body(self, url: str, response: httpx.Response) -> bytes:
        cap = self._settings.max_bytes
        length = response.headers.get("Content-Length", "").strip()
        if length.isdigit() and int(length) > cap:
            raise self._too_large(url)
        chunks: Iterable[bytes]
        if response.is_stream_consumed:
            # A MockTransport response built with `content=` (tests) arrives read and decoded.
            chunks, layers = [response.content], []
        else:
            chunks = response.iter_raw()
            try:
                layers = _decoders(response.headers.get("Content-Encoding"))
            except _BadEncoding as exc:
                raise FetchError(url, "bad content encoding", retryable=False) from exc
        body = bytearray()
        raw_total = 0
        try:
            for raw in chunks:
                self._left(url)
                raw_total += len(raw)
                # Compressed bytes count too: a stream of empty deflate blocks inflates to nothing.
                if raw_total > 2 * cap + _CHUNK:
                    raise self._too_large(url)
                for piece in _decode(layers, raw):
                    body += piece
                    if len(body) > cap:
                        raise self._too_large(url)
            for layer in layers:
                layer.finish()
        except _BadEncoding as exc:
            raise FetchError(url, "bad content encoding", retryable=False) from exc
        except FetchError:
            raise
        except Exception as exc:
            raise _translate(url, None, exc, reading_body=True) from exc
        if not body:
            raise FetchError(url, "empty response", status=response.status_code)
        return bytes(body)

    def _too_large(self, url: str) -> FetchError:
        return FetchError(url, f"too large (over [fetch] max_bytes = {self._settings.max_bytes} bytes; "
                               "raise it if the feed is genuine)", retryable=False)

    def _left(self, url: str) -> float:
        try:
            left = self._deadline.clamp(None, TimeoutError)
        except TimeoutError:
            raise FetchError(url, "timeout") from None
        return self._settings.timeout_s if left is None else left

    # -- local files --------------------------------------------------------------------

    def _read_file(self, url: str, scheme: str, validators: Validators) -> FetchResult:
        if scheme == "file":
            parts = urlsplit(url)
            if parts.netloc not in ("", "localhost"):
                raise BlockedURLError(url, "refused: file: URLs must name a local file")
            path = Path(url2pathname(parts.path))
        else:
            path = Path(url)
        try:
            info = path.stat()
            if not stat.S_ISREG(info.st_mode):
                raise FetchError(url, "not a regular file", retryable=False)
            if info.st_size > self._settings.max_bytes:
                raise self._too_large(url)
            last_modified = formatdate(info.st_mtime, usegmt=True)
            content_type = mimetypes.guess_type(path.name)[0]
            if validators.last_modified == last_modified:
                return FetchResult(url=url, status=304, body=b"", not_modified=True, etag=None,
                                   last_modified=last_modified, content_type=content_type)
            with path.open("rb") as handle:
                body = handle.read(self._settings.max_bytes + 1)
        except FileNotFoundError as exc:
            raise FetchError(url, f"file not found ({path.resolve()}); for a web feed give "
                                  "the full http(s):// URL") from exc
        except OSError as exc:
            raise FetchError(url, f"cannot read file ({exc.strerror or exc})") from exc
        if len(body) > self._settings.max_bytes:
            raise self._too_large(url)
        if not body:
            raise FetchError(url, "empty response")
        return FetchResult(url=url, status=200, body=body, not_modified=False, etag=None,
                           last_modified=last_modified, content_type=content_type)


def _is_windows_path(url: str, scheme: str) -> bool:
    return len(scheme) == 1 and url[1:3] in (":\\", ":/")


def _normalise_host(host: str) -> str:
    host = host.strip().lower().rstrip(".")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        return host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return host


def _phrase(response: httpx.Response) -> str:
    try:
        return http.HTTPStatus(response.status_code).phrase
    except ValueError:
        return response.reason_phrase or "error"


def _expired(expires: str | None) -> bool:
    """True for `Expires: 0`, an invalid date or a past one (RFC 9111 §5.3)."""
    if expires is None:
        return False
    try:
        when = parsedate_to_datetime(expires.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return True
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when <= datetime.now(timezone.utc)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _translate(url: str, redirect: httpx.URL | None, exc: Exception, *,
               reading_body: bool) -> FetchError:
    """One translation of transport exceptions into FetchError reasons."""
    chain = list(_causes(exc))
    if isinstance(exc, _Refused):
        where = "" if redirect is None else f"redirect to {redirect}: "
        return BlockedURLError(url, f"refused: {where}{exc}")
    if isinstance(exc, _LookupFailed) or any(isinstance(e, socket.gaierror) for e in chain):
        return FetchError(url, "DNS lookup failed")
    if isinstance(exc, httpx.TimeoutException):
        return FetchError(url, "timeout")
    if not reading_body and (isinstance(exc, httpx.InvalidURL) or (
            isinstance(exc, httpx.RemoteProtocolError) and "location header" in str(exc).lower())):
        # The request URL was parsed before sending; httpx parses a redirect's
        # Location inside send() even when it does not follow it.
        return FetchError(url, f"invalid redirect Location ({exc})", retryable=False)
    if any(isinstance(e, ssl.SSLCertVerificationError) for e in chain):
        return FetchError(url, "TLS certificate error")
    if any(isinstance(e, ssl.SSLError) for e in chain):
        return FetchError(url, "TLS error")
    if isinstance(exc, httpx.ConnectError):
        return FetchError(url, "connection failed")
    if isinstance(exc, (httpx.ReadError, httpx.RemoteProtocolError, httpx.WriteError)):
        if reading_body:
            return FetchError(url, "connection closed early (truncated body)")
        if isinstance(exc, httpx.RemoteProtocolError) and "disconnected" not in str(exc):
            return FetchError(url, "invalid HTTP response")
        return FetchError(url, "connection closed early (no response)")
    if isinstance(exc, (httpx.InvalidURL, httpx.UnsupportedProtocol)):
        return FetchError(url, f"invalid URL ({exc})", retryable=False)
    if isinstance(exc, (httpx.HTTPError, httpx.StreamError)):
        return FetchError(url, f"HTTP error ({type(exc).__name__}: {exc})")
    raise exc
