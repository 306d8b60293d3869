"""Per-host politeness: at most N requests in flight to one host, and a least time between their starts.

`[fetch] per_host_concurrency` and `per_host_interval_s`. The gate here
holds its counters in the process; with `[queue] redis` the workers share
them (broker.RedisHostGate). A feed or page is held by the host of its URL
(checklist N29: many feeds on one host).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol
from urllib.parse import urlsplit


class HostGate(Protocol):
    """Something that holds a request to a host until the host's limits let it go."""

    def hold(self, url: str) -> AbstractContextManager[None]:
        """Wait for a slot for the URL's host; the slot is released when the block ends."""


def host_of(url: str) -> str:
    """The host a URL is requested from (lower case; local files count as one host)."""
    return (urlsplit(url).hostname or "").lower()


class LocalHostGate:
    """Per-host limits within one process (threads share it)."""

    def __init__(self, concurrency: int, interval_s: float, *,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        self._concurrency = concurrency
        self._interval = interval_s
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next_start: dict[str, float] = {}

    @contextmanager
    def hold(self, url: str) -> Iterator[None]:
        """Wait for one of the host's slots, then for its interval since the last start."""
        host = host_of(url)
        with self._lock:
            slot = self._slots.setdefault(host, threading.BoundedSemaphore(self._concurrency))
        with slot:
            if self._interval > 0:
                with self._lock:
                    # Each start books the next one: waiting threads queue up interval apart.
                    start = max(self._clock(), self._next_start.get(host, 0.0))
                    self._next_start[host] = start + self._interval
                delay = start - self._clock()
                if delay > 0:
                    self._sleep(delay)
            yield
