"""One exception tree for newswatch.

    NewswatchError
     +-- ConfigError            bad config file, key or value (exit 2)
     +-- FetchError             a feed or page could not be fetched (per item)
     |    +-- BlockedURLError   refused by the address guard or scheme policy
     +-- FeedError              bytes that are not a usable feed (per feed)
     +-- StoreError             the database is unreachable or unusable (fatal)
     +-- AlreadyRunningError    another pass or digest holds the lock
     +-- MailError              the SMTP server refused or failed
     +-- QueueError             the broker ([queue] broker) is unreachable or refused a message

Library exceptions are translated once, in the module that wraps the library.
"""

from __future__ import annotations


class NewswatchError(Exception):
    """Base of every error newswatch raises on purpose."""


class ConfigError(NewswatchError):
    """The config file, a key in it, or a topic definition is invalid."""


class FetchError(NewswatchError):
    """A URL could not be fetched; `reason` is a short classification."""

    def __init__(self, url: str, reason: str, *, retryable: bool = True,
                 status: int | None = None, retry_after_s: float | None = None) -> None:
        super().__init__(f"{reason}: {url}")
        self.url = url
        self.reason = reason
        self.retryable = retryable
        self.status = status
        self.retry_after_s = retry_after_s


class BlockedURLError(FetchError):
    """The URL (or a redirect) points somewhere the guard does not allow."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(url, reason, retryable=False)


class FeedError(NewswatchError):
    """Fetched bytes that are not a feed, or a feed feedparser cannot read."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class StoreError(NewswatchError):
    """The database cannot be reached or migrated."""


class AlreadyRunningError(NewswatchError):
    """Another process holds the lock for this job."""


class MailError(NewswatchError):
    """Sending the digest failed; `temporary` when a later attempt may succeed (4xx, timeouts)."""

    def __init__(self, message: str, *, temporary: bool = True) -> None:
        super().__init__(message)
        self.temporary = temporary


class QueueError(NewswatchError):
    """The broker could not be reached or did not take a message (the work stays recorded)."""
