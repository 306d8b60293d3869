"""Feed polling state (pure): when a feed is due, what to ask for, how a fetch moves its state.

    FeedState --is_due--> poll? --validators_for--> conditional GET (RFC 9110 §13.1)
        ^                                                |
        '---- after_success (200 / 304) or after_failure (backoff, disabled) <--'

The store loads and saves `FeedState` records; the jobs fetch. Nothing here
touches the network, the database or the clock: `now` and the jitter are
passed in.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from pipeline.errors import FetchError
from pipeline.records import FeedState, FetchResult, Validators

MAX_BACKOFF = timedelta(days=1)
MAX_BACKOFF_DOUBLINGS = 6
DISABLE_AFTER_ERRORS = 30       # Media Cloud's MAX_FAILURES: then the feed is flagged, not polled
GONE = "gone (HTTP 410): remove it from the config or fix its URL"


@dataclass(frozen=True)
class FeedFailure:
    """Why a poll failed; `error` when the fetch itself failed (its status and Retry-After count)."""

    reason: str
    error: FetchError | None = None
    jitter: timedelta = timedelta(0)   # spreads retries of feeds that failed together


def is_due(state: FeedState, now: datetime, *, forced: bool, named: bool = False) -> bool:
    """A feed named on the command line always; a disabled one (410, too many failures) never
    otherwise, not even with --all (checklist N18); then --all or the schedule."""
    if named:
        return True
    if state.disabled_reason:
        return False
    if forced:
        return True
    return state.next_poll_at is None or state.next_poll_at <= now


def validators_for(state: FeedState, now: datetime, refresh: timedelta) -> Validators:
    """The stored ETag and Last-Modified; none when the last full body is older than `refresh`.

    A server may answer 304 to a stale validator forever; a periodic fetch
    without validators gets the body whatever it keeps (Miniflux does the same).
    """
    if refresh and (state.full_fetched_at is None or state.full_fetched_at + refresh <= now):
        return Validators()
    return Validators(etag=state.etag, last_modified=state.last_modified)


def body_hash_of(result: FetchResult, state: FeedState) -> str | None:
    """The hash of the body fetched, or of the last one for a 304."""
    return state.body_hash if result.not_modified else hashlib.sha256(result.body).hexdigest()


def is_unchanged(result: FetchResult, state: FeedState) -> bool:
    """RFC 9110 304, or a server that ignores conditional requests but sent the same bytes."""
    return result.not_modified or body_hash_of(result, state) == state.body_hash


def after_success(state: FeedState, result: FetchResult, now: datetime, interval: timedelta) -> FeedState:
    """The state after a fetch that worked: errors cleared, validators kept, next poll in `interval`."""
    polled = replace(state, last_fetched_at=now, last_success_at=now, last_status=result.status, last_error=None,
                     consecutive_errors=0, disabled_reason=None,   # polled by name and back: enabled again
                     next_poll_at=now + interval)
    if not result.not_modified:
        return replace(polled, etag=result.etag, last_modified=result.last_modified,
                       body_hash=body_hash_of(result, state), full_fetched_at=now)
    if result.last_modified:
        return replace(polled, last_modified=result.last_modified)
    return polled


def after_failure(state: FeedState, failure: FeedFailure, now: datetime, interval: timedelta) -> FeedState:
    """The state after a failed poll: one more error, backed off, disabled after a 410 or too many."""
    errors = state.consecutive_errors + 1
    error = failure.error
    disabled = state.disabled_reason
    if error is not None and error.status == 410:
        disabled = GONE
    elif errors >= DISABLE_AFTER_ERRORS:
        disabled = f"{errors} failures in a row; last: {failure.reason}"
    return replace(state, last_fetched_at=now, last_error=failure.reason,
                   last_status=error.status if error is not None else state.last_status,
                   consecutive_errors=errors, total_errors=state.total_errors + 1,
                   next_poll_at=now + backoff(interval, errors, error) + failure.jitter,
                   disabled_reason=disabled)


def backoff(interval: timedelta, errors: int, error: FetchError | None) -> timedelta:
    """The interval doubled per consecutive error, capped at a day; Retry-After honoured up to the cap."""
    base = interval * (2 ** min(errors - 1, MAX_BACKOFF_DOUBLINGS))
    if error is not None and error.retry_after_s:
        base = max(base, timedelta(seconds=error.retry_after_s))
    capped: timedelta = min(base, MAX_BACKOFF)
    return capped
