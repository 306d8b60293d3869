"""URL identity: the one place that normalises URLs (wraps courlan).

courlan's `check_url` rejects loopback hosts (checklist §11), so only its
normalisation is used here; whether a URL may be fetched is the fetcher's
address guard's decision.
"""

from __future__ import annotations

import functools
import ipaddress
from urllib.parse import urlsplit

import courlan


def canonical_url(url: str) -> str:
    """The identity of an article URL: tracking parameters, fragment and case noise removed."""
    try:
        normalized: str = courlan.normalize_url(url.strip(), strict=True)
    except (ValueError, TypeError):
        return url.strip()
    return normalized


def is_http_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def same_site(a: str, b: str) -> bool:
    """True when two URLs share a host and explicit port, ignoring a leading `www.`."""
    def host(u: str) -> tuple[str, int | None]:
        parts = urlsplit(u)
        name = (parts.hostname or "").lower()
        try:
            port = parts.port
        except ValueError:
            port = -1
        return (name[4:] if name.startswith("www.") else name), port
    return bool(host(a)[0]) and host(a) == host(b)


def outlet_of(url: str, feed_name: str) -> str:
    """Who published an article, for counting independent sources (spec: outlets, feeds or sites).

    The site (host without `www.`) of an http(s) URL; articles on a host that
    names no site (an IP address, localhost: test and demo servers) by the
    feed that brought them; anything else (an archive file) by its URL.
    """
    if not is_http_url(url):
        return url
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    if host == "localhost" or host.endswith(".localhost") or _is_ip_address(host):
        return f"feed:{feed_name}"
    return host


@functools.lru_cache(maxsize=4096)   # hosts repeat (a few hundred outlets); parsing one costs microseconds
def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
