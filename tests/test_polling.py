"""Feed polling state (pipeline/polling.py): due feeds, validators, success, failure and backoff, without I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pipeline import polling
from pipeline.errors import FetchError
from pipeline.records import FeedState, FetchResult, Validators

NOW = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
FRESH = FeedState(name="f", url="https://example.org/f.xml")


def _fetched(body: bytes = b"<rss/>", *, not_modified: bool = False, status: int = 200,
             etag: str | None = '"v2"', last_modified: str | None = None) -> FetchResult:
    return FetchResult(url="https://example.org/f.xml", status=status, body=b"" if not_modified else body,
                       not_modified=not_modified, etag=etag, last_modified=last_modified,
                       content_type="application/rss+xml")


@pytest.mark.parametrize(("state", "forced", "named", "due"), [
    (FRESH, False, False, True),                                                # never polled
    (FeedState("f", "u", next_poll_at=NOW + HOUR), False, False, False),        # not yet
    (FeedState("f", "u", next_poll_at=NOW), False, False, True),                # on time
    (FeedState("f", "u", next_poll_at=NOW + HOUR), True, False, True),          # --all
    (FeedState("f", "u", disabled_reason="gone"), True, False, False),          # disabled: not even --all
    (FeedState("f", "u", disabled_reason="gone"), False, True, True),           # named: always
])
def test_is_due(state: FeedState, forced: bool, named: bool, due: bool) -> None:
    assert polling.is_due(state, NOW, forced=forced, named=named) is due


def test_validators_are_sent_while_the_last_full_body_is_fresh() -> None:
    state = FeedState("f", "u", etag='"v1"', last_modified="Sat, 21 Nov 2026 08:00:00 GMT",
                      full_fetched_at=NOW - HOUR)
    assert polling.validators_for(state, NOW, timedelta(hours=24)) == Validators('"v1"', state.last_modified)
    assert polling.validators_for(state, NOW, HOUR) == Validators()              # stale: fetched in full
    assert polling.validators_for(state, NOW, timedelta(0)) == Validators('"v1"', state.last_modified)  # 0: always


def test_a_304_or_the_same_bytes_is_unchanged() -> None:
    stored = polling.after_success(FRESH, _fetched(b"<rss>1</rss>"), NOW, HOUR)
    assert polling.is_unchanged(_fetched(not_modified=True, status=304), stored)
    assert polling.is_unchanged(_fetched(b"<rss>1</rss>"), stored)
    assert not polling.is_unchanged(_fetched(b"<rss>2</rss>"), stored)


def test_success_clears_errors_and_keeps_the_new_validators() -> None:
    failing = FeedState("f", "u", consecutive_errors=3, total_errors=5, last_error="timeout",
                        disabled_reason="3 failures", last_status=503)
    after = polling.after_success(failing, _fetched(etag='"v2"', last_modified="Tue, 01 Dec 2026 06:00:00 GMT"),
                                  NOW, HOUR)
    assert (after.consecutive_errors, after.total_errors, after.last_error, after.disabled_reason) == (0, 5, None, None)
    assert (after.etag, after.last_modified, after.last_status) == ('"v2"', "Tue, 01 Dec 2026 06:00:00 GMT", 200)
    assert after.full_fetched_at == after.last_success_at == after.last_fetched_at == NOW
    assert after.next_poll_at == NOW + HOUR and after.body_hash is not None


def test_a_304_keeps_the_stored_etag_and_full_fetch_time() -> None:
    stored = polling.after_success(FRESH, _fetched(etag='"v1"'), NOW - HOUR, HOUR)
    after = polling.after_success(stored, _fetched(not_modified=True, status=304, etag=None,
                                                   last_modified="Tue, 01 Dec 2026 06:00:00 GMT"), NOW, HOUR)
    assert (after.etag, after.body_hash, after.full_fetched_at) == ('"v1"', stored.body_hash, NOW - HOUR)
    assert after.last_modified == "Tue, 01 Dec 2026 06:00:00 GMT" and after.last_status == 304


def test_failures_back_off_doubling_up_to_a_day_plus_jitter() -> None:
    state = FRESH
    waits = []
    for _ in range(8):
        state = polling.after_failure(state, polling.FeedFailure("timeout", jitter=timedelta(seconds=7)), NOW, HOUR)
        assert state.next_poll_at is not None
        waits.append(state.next_poll_at - NOW - timedelta(seconds=7))
    assert waits == [HOUR * 2 ** n for n in range(5)] + [timedelta(days=1)] * 3
    assert (state.consecutive_errors, state.total_errors, state.last_error) == (8, 8, "timeout")


def test_retry_after_is_honoured_and_a_410_disables() -> None:
    error = FetchError("u", "HTTP 503", status=503, retry_after_s=3 * 3600)
    after = polling.after_failure(FRESH, polling.FeedFailure("HTTP 503", error), NOW, HOUR)
    assert after.next_poll_at == NOW + 3 * HOUR and after.last_status == 503 and after.disabled_reason is None
    gone = polling.after_failure(FRESH, polling.FeedFailure("HTTP 410", FetchError("u", "HTTP 410", status=410)),
                                 NOW, HOUR)
    assert gone.disabled_reason == polling.GONE


def test_a_feed_is_disabled_after_too_many_failures_and_keeps_its_status_when_not_fetched() -> None:
    state = FeedState("f", "u", consecutive_errors=polling.DISABLE_AFTER_ERRORS - 1, last_status=200)
    after = polling.after_failure(state, polling.FeedFailure("not a feed"), NOW, HOUR)
    assert after.disabled_reason == f"{polling.DISABLE_AFTER_ERRORS} failures in a row; last: not a feed"
    assert after.last_status == 200                       # a parse failure is not an HTTP status
