"""The jobs: the only place that composes stages and opens transactions.

    run_pass:  due feeds (polling.py) -> fetch (thread pool) -> parse -> new entries (entries.py)
               -> fetch pages (thread pool) -> prepare (prepare.py, worker processes):
                  extract -> date -> signature, mentions, claims
               -> per article, one transaction: dedup (dedup.copy_of, story_of) -> store
               -> feed state (polling.after_success / after_failure) -> store
               -> reassess the changes of the groups new claims touch -> RunSummary
               (one feed ahead: the next feed's pages download and prepare
               while this feed's are stored)
    init_database: migrate, import archive/ once (same per-article path)
    rebuild_claims: re-read every stored article's claims, recompute changes

Only this module catches broadly, once per feed and once per article: the
failure is logged and recorded, and the pass goes on.
"""

from __future__ import annotations

import hashlib
import logging
import random
import re
import tomllib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from importlib import resources
from pathlib import Path
from typing import TypeVar

from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from pipeline import changes as change_rules
from pipeline import claims as claim_reader
from pipeline import alert_job, dedup, locks, polling, report, review
from pipeline.config import Settings
from pipeline.entries import NewEntry, key_entries, new_entries
from pipeline.errors import FeedError, FetchError, StoreError
from pipeline.feeds import parse_feed
from pipeline.fetch import Fetcher
from pipeline.mentions import find_mentions
from pipeline.politeness import HostGate, LocalHostGate
from pipeline.prepare import NO_TEXT, Analysis, PageJob, PagePreparer, PreparedPage, analyse, read_article_claims
from pipeline.records import (
    Article,
    Change,
    Claim,
    ClaimKind,
    DateSource,
    Entry,
    FeedSpec,
    FeedState,
    FetchResult,
    ReportedClaim,
    RunSummary,
    StoredArticle,
    Validators,
)
from pipeline.store import queries, reviews
from pipeline.store import tasks as task_store
from pipeline.store.db import transaction
from pipeline.urls import canonical_url, outlet_of

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
Progress = Callable[[str], None]

MAX_CANDIDATES = 20            # verified per lookup, most shared LSH bands first


def utc_now() -> datetime:
    """The real clock; tests pass their own."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Resources:
    """What a job needs, built once at the edge (CLI, scheduler, demo)."""

    settings: Settings
    sessions: sessionmaker[Session]
    fetcher: Fetcher
    clock: Clock = utc_now
    progress: Progress | None = None
    gate: HostGate | None = None     # per-host politeness; None: [fetch]'s limits within this process

    def __post_init__(self) -> None:
        if self.gate is None:
            fetch = self.settings.fetch
            object.__setattr__(self, "gate", LocalHostGate(fetch.per_host_concurrency, fetch.per_host_interval_s))


@dataclass
class PassCounts:
    """A pass's counts as they add up (per feed, per page, per queued task)."""

    feeds_ok: int = 0
    feeds_failed: int = 0
    feeds_skipped: int = 0
    entries: int = 0
    new_articles: int = 0
    duplicates: int = 0
    mentions: int = 0
    claims: int = 0
    changes: int = 0
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, reason: str) -> None:
        # The reason without its details, so that counts group: "not a feed: the server sent an HTML page".
        key = re.split(r";| \(", reason, maxsplit=1)[0][:80]
        self.errors[key] = self.errors.get(key, 0) + 1

    def summary(self) -> RunSummary:
        return RunSummary(**vars(self))

    def add(self, other: PassCounts) -> None:
        """Add another part of the pass's counts (a feed's, a task's)."""
        for name, value in vars(other).items():
            if name != "errors":
                setattr(self, name, getattr(self, name) + value)
        for reason, number in other.errors.items():
            self.errors[reason] = self.errors.get(reason, 0) + number

    def as_json(self) -> dict[str, object]:
        """The counts as stored with a finished task."""
        return {**vars(self), "errors": dict(self.errors)}

    @classmethod
    def from_json(cls, stored: Mapping[str, object]) -> PassCounts:
        """Counts stored with a finished task."""
        counts = cls()
        for name in vars(counts):
            if name == "errors":
                errors = stored.get("errors", {})
                counts.errors = {str(k): int(v) for k, v in errors.items()} if isinstance(errors, dict) else {}
            else:
                value = stored.get(name, 0)
                setattr(counts, name, value if isinstance(value, int) else 0)
        return counts


# --- init and the archive -------------------------------------------------------


@dataclass(frozen=True)
class ArchiveItem:
    """One seed article with its metadata."""

    path: Path
    published_on: date
    title: str


def archive_dir() -> Path:
    """`archive/` of the installed project (a wheel carries it as pipeline/_archive)."""
    packaged = Path(str(resources.files("pipeline"))) / "_archive"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent / "archive"


def read_archive(folder: Path) -> list[ArchiveItem]:
    """The archive's files with the dates and titles of its metadata.toml."""
    meta = tomllib.loads((folder / "metadata.toml").read_text(encoding="utf-8"))
    return [ArchiveItem(path=folder / item["file"], published_on=item["published_on"],
                        title=item.get("title", "")) for item in meta.get("articles", [])]


def import_archive(res: Resources) -> int:
    """Store the archive articles not stored yet (idempotent); returns how many were added."""
    added = 0
    for item in read_archive(archive_dir()):
        url = f"archive:{item.path.name}"
        with transaction(res.sessions) as session:
            # Locked before looking: two first runs at once would both find it missing.
            queries.lock_article_writes(session)
            if queries.article_id_by_url(session, url) is not None:
                continue
            article = Article(url=url, title=item.title or item.path.stem,
                              text=item.path.read_text(encoding="utf-8"), published_on=item.published_on,
                              date_source=DateSource.ARCHIVE, source="archive")
            _store_article(session, res, article, analyse(article, res.settings.topics), is_archive=True)
            added += 1
    if added:
        with transaction(res.sessions) as session:
            _recompute_changes(session, res)
    return added


# --- the polling pass ------------------------------------------------------------------


def run_pass(res: Resources, *, feed_names: Sequence[str] = (), all_feeds: bool = False) -> RunSummary:
    """One polling pass over the due feeds (or the named ones)."""
    counts = PassCounts()
    now = res.clock()
    with transaction(res.sessions) as session:
        run_id = queries.start_run(session, "run", now)
        states = queries.sync_feeds(session, res.settings.feeds)
    due = due_feeds(res.settings.feeds, states, now, feed_names=feed_names, all_feeds=all_feeds)
    refresh = timedelta(hours=res.settings.fetch.refresh_unconditional_hours)
    validators = {spec.name: polling.validators_for(states[spec.name], now, refresh) for spec in due}
    counts.feeds_skipped = len(res.settings.feeds) - len(due) if not feed_names else 0
    _report(res, f"polling {len(due)} feed(s)")
    with ThreadPoolExecutor(max_workers=res.settings.fetch.workers) as pool, \
            PagePreparer(res.settings.processing) as preparer:
        fetched = list(pool.map(lambda spec: fetch_or_error(res, spec.url, validators[spec.name]), due))
        # One feed ahead: the next feed's pages download and go to the worker
        # processes while this one's are stored, so the workers never wait
        # for the store at a feed boundary (benchmarks P6).
        claimed: set[str] = set()
        waiting: _Intake | None = None
        for spec, outcome in zip(due, fetched, strict=True):
            intake = _guarded(res, spec, counts, partial(_take_in, res, pool, preparer, spec, outcome,
                                                         states[spec.name], counts, claimed))
            _store_intake(res, waiting, counts)
            waiting = intake
        _store_intake(res, waiting, counts)
    with transaction(res.sessions) as session:
        counts.changes = _recompute_changes(session, res)
        summary = counts.summary()
        queries.finish_run(session, run_id, "ok" if not (due and counts.feeds_ok == 0) else "failed",
                           dict(vars(summary)), res.clock())
    return summary


def due_feeds(feeds: Sequence[FeedSpec], states: Mapping[str, FeedState], now: datetime, *,
              feed_names: Sequence[str] = (), all_feeds: bool = False) -> list[FeedSpec]:
    """The feeds a pass polls: the due ones (every one with `all_feeds`), or only the named ones."""
    return [spec for spec in feeds
            if polling.is_due(states[spec.name], now, forced=all_feeds, named=spec.name in feed_names)
            and (not feed_names or spec.name in feed_names)]


_T = TypeVar("_T")


def _guarded(res: Resources, spec: FeedSpec, counts: PassCounts, step: Callable[[], _T]) -> _T | None:
    """Run one feed's step; a failure is that feed's (None), unless the database is down."""
    try:
        return step()
    except _DATABASE_DOWN as exc:  # not the feed's fault: never counted against it (checklist D12)
        raise _store_error(exc) from exc
    except Exception as exc:  # one broken feed never stops the pass
        log.exception("feed %s failed", spec.name)
        _record_feed_failure(res, spec, f"internal error: {type(exc).__name__}: {exc}", counts)
        return None


@dataclass(frozen=True)
class _Intake:
    """A changed feed's new entries, each with its page on the way (download, then preparation)."""

    spec: FeedSpec
    outcome: FetchResult
    entries: list[NewEntry]
    pages: list[FetchError | Future[PreparedPage | str]]


def _take_in(res: Resources, pool: ThreadPoolExecutor, preparer: PagePreparer, spec: FeedSpec,
             outcome: FetchResult | FetchError, state: FeedState, counts: PassCounts,
             claimed: set[str]) -> _Intake | None:
    """Parse a fetched feed and send its new pages on their way; None when there is nothing to store."""
    if isinstance(outcome, FetchError):
        _record_feed_failure(res, spec, outcome.reason, counts, outcome)
        return None
    if outcome.permanent_redirect:
        # Checklist N12: the config is the user's, so the URL polled stays the
        # configured one (each hop is checked by the guard every time); the
        # move is reported on every pass until the user updates the config.
        log.warning("feed %s moved permanently to %s; update its url in %s",
                    spec.name, outcome.permanent_redirect, res.settings.source)
    if polling.is_unchanged(outcome, state):
        _record_feed_success(res, spec, outcome)
        counts.feeds_ok += 1
        return None
    try:
        entries = parse_feed(outcome.body, feed_name=spec.name, feed_url=outcome.url,
                             content_type=outcome.content_type,
                             max_entries=res.settings.fetch.max_entries_per_feed)
    except FeedError as exc:
        _record_feed_failure(res, spec, exc.reason, counts)
        return None
    counts.entries += len(entries)
    for _ in range(sum(1 for entry in entries if not entry.link)):
        counts.error("entry without a link")   # nothing to fetch (checklist F15)
    new = _new_entries(res, spec, entries, claimed)
    _report(res, f"{spec.name}: {len(entries)} entries, {len(new)} new")
    # Pages are handed to the preparer as their downloads finish, and stored
    # in feed order as their preparation finishes: fetching, extracting (in
    # worker processes) and storing overlap.
    now = res.clock()
    in_workers = preparer.wants_workers(len(new))
    downloads = [pool.submit(fetch_or_error, res, item.link, None) for item in new]
    pages: list[FetchError | Future[PreparedPage | str]] = []
    for item, download in zip(new, downloads, strict=True):
        entry, page = item.entry, download.result()
        pages.append(page if isinstance(page, FetchError) else preparer.submit(
            PageJob(body=page.body, url=page.url, entry_title=entry.title, entry_published_at=entry.published_at,
                    source=spec.name, now=now, topics=res.settings.topics), in_workers=in_workers))
    return _Intake(spec, outcome, new, pages)


def _store_intake(res: Resources, intake: _Intake | None, counts: PassCounts) -> None:
    """Store a feed's prepared pages in feed order and record its success; a failure is the feed's."""
    if intake is not None:
        _guarded(res, intake.spec, counts, partial(_store_pages, res, intake, counts))


def _store_pages(res: Resources, intake: _Intake, counts: PassCounts) -> None:
    spec = intake.spec
    for new, item in zip(intake.entries, intake.pages, strict=True):
        try:
            result = item if isinstance(item, FetchError) else item.result()
            _ingest_entry(res, spec, new.key, new.link, result, counts)
        except _DATABASE_DOWN:
            raise
        except Exception as exc:  # one broken page never stops the feed (checklist H9)
            log.exception("article %s failed", new.link)
            counts.error(f"internal error: {type(exc).__name__}")
            with transaction(res.sessions) as session:
                queries.record_seen(session, spec.name, new.key, url=new.url,
                                    outcome="failed", now=res.clock(), error=f"{type(exc).__name__}: {exc}")
    _record_feed_success(res, spec, intake.outcome)
    counts.feeds_ok += 1


def _new_entries(res: Resources, spec: FeedSpec, entries: Sequence[Entry], claimed: set[str]) -> list[NewEntry]:
    """The feed's new entries (pipeline.entries), not `claimed` by an earlier feed of this pass; claims theirs."""
    keyed = key_entries(entries)
    urls = {link: canonical_url(link) for link, _ in keyed.values()}
    with transaction(res.sessions) as session:
        seen = queries.seen_entry_keys(session, spec.name, keyed)
        known = queries.known_urls(session, urls.values())
    new = new_entries(keyed, urls, seen, known | claimed)
    claimed.update(item.url for item in new)
    return new


def _ingest_entry(res: Resources, spec: FeedSpec, entry_key: str, link: str,
                  outcome: FetchError | PreparedPage | str, counts: PassCounts) -> None:
    """Record what came of one new entry; store its article in one transaction."""
    counts.add(ingest_page(res, spec.name, entry_key, link, outcome))


def ingest_page(res: Resources, feed_name: str, entry_key: str, link: str,
                outcome: FetchError | PreparedPage | str, *, task_id: int | None = None,
                lock_keys: bool = True) -> PassCounts:
    """Record what came of one new entry and store its article, in one transaction; returns its counts.

    With `task_id` (a queued page) the task is finished in the same
    transaction, and a task already finished changes nothing (redelivered).
    `lock_keys` is switched off only by the test that proves it is needed.
    """
    for attempt in (1, 2):
        counts = PassCounts()
        try:
            with transaction(res.sessions) as session:
                if task_id is not None:
                    task = task_store.claim_task(session, task_id)
                    if task is None or task.done:
                        return counts
                _ingest_in(session, res, feed_name, entry_key, link, outcome, counts, lock_keys=lock_keys)
                if task_id is not None:
                    task_store.finish_task(session, task_id, counts.as_json(), res.clock())
            return counts
        except IntegrityError:
            # A concurrent pass stored the same URL or text first and the schema
            # kept one row (checklist D2); once more, now seeing its row.
            log.info("%s collided with a concurrent pass (attempt %d)", link, attempt)
    raise RuntimeError(f"could not store {link} after a concurrent insert")


def _ingest_in(session: Session, res: Resources, feed_name: str, entry_key: str, link: str,
               outcome: FetchError | PreparedPage | str, counts: PassCounts, *, lock_keys: bool) -> None:
    now = res.clock()
    if isinstance(outcome, FetchError):
        counts.error(outcome.reason)
        queries.record_seen(session, feed_name, entry_key, url=canonical_url(link),
                            outcome="fetch_failed", now=now, error=outcome.reason)
        return
    if isinstance(outcome, str):
        counts.error(outcome)
        queries.record_seen(session, feed_name, entry_key, url=canonical_url(link),
                            outcome="no_text" if outcome == NO_TEXT else "failed", now=now, error=outcome)
        return
    article, analysis = outcome.article, outcome.analysis
    verdicts: dict[int, dedup.Verdict] = {}
    if lock_keys and queries.locks_article_keys(session):
        # Compared with the index as it is before the locks are taken, so under
        # them only candidates stored meanwhile cost a comparison: the locks of
        # articles sharing a busy band key are held for the writes, not the reading.
        _dedup_decision(session, article, analysis, res.settings.dedup, is_archive=False, verdicts=verdicts)
        queries.lock_article_keys(session, _lock_keys(article, analysis))
    existing = queries.article_by_url(session, article.url)
    if existing is not None:
        # Stored meanwhile by another pass (or feed): the same outcome it recorded.
        queries.record_seen(session, feed_name, entry_key, url=article.url,
                            outcome="article" if existing.duplicate_of_id is None else "duplicate",
                            now=now, article_id=existing.id)
        return
    stored = _store_article(session, res, article, analysis, is_archive=False, verdicts=verdicts)
    queries.record_seen(session, feed_name, entry_key, url=article.url,
                        outcome="duplicate" if stored.duplicate else "article",
                        now=now, article_id=stored.article_id)
    counts.duplicates += stored.duplicates
    counts.new_articles += stored.originals
    counts.mentions += stored.mentioning
    counts.claims += stored.claims


def _lock_keys(article: Article, analysis: Analysis) -> list[str]:
    """What two articles whose dedup decisions depend on each other share: URL, text, or an LSH band."""
    return [f"url {article.url}", f"text {analysis.text_hash}",
            *(f"copy {band} {key}" for band, key in analysis.copy_keys),
            *(f"story {band} {key}" for band, key in analysis.story_keys)]


@dataclass(frozen=True)
class _Stored:
    """What storing one article came to, as changes to the pass's counts."""

    article_id: int
    duplicate: bool
    originals: int        # +1 a new original; 0 when it took the place of one (that became a copy)
    duplicates: int
    mentioning: int       # change in the number of originals that mention a topic
    claims: int


@dataclass(frozen=True)
class _DedupDecision:
    """Where a new article goes among the stored ones: a copy, the original a copy gives way to, or a story."""

    copy_of: tuple[StoredArticle, float] | None = None     # the original it copies, with the score
    displaces: tuple[int, float] | None = None             # the stored original that becomes its copy
    story_id: int | None = None                            # the story it joins


def _dedup_decision(session: Session, article: Article, analysis: Analysis, settings: dedup.DedupSettings, *,
                    is_archive: bool, verdicts: dict[int, dedup.Verdict]) -> _DedupDecision:
    """Dedup against the index: of near-copies the original is the one published first (ties: the lower
    URL), whichever is stored first, so workers storing in any order agree."""
    same_text = queries.original_with_text_hash(session, analysis.text_hash)
    # Candidates are loaded only when the rule looks at them (generators): an
    # exact copy needs no index lookup.
    copy = dedup.copy_of(article.text, same_text, _candidates(session, "copy", analysis.copy_keys), settings,
                         verdicts)
    if copy is None:
        story = dedup.story_of(article.text, _candidates(session, "story", analysis.story_keys), settings,
                               verdicts)
        return _DedupDecision(story_id=None if story is None else story.story_id or story.id)
    verdict, match = copy
    # Scored as a copy of the new article, as it would have been had it come second; when it would
    # not have been a copy at all, the order decides after all (one text encloses the other).
    reverse = None if is_archive or not _precedes(article, queries.publication_of(session, match.id)) \
        else dedup.classify(dedup.compare_texts(match.text, article.text, settings), settings)
    if reverse is None or reverse.decision is not dedup.Decision.COPY:
        return _DedupDecision(copy_of=(match, verdict.score))
    return _DedupDecision(displaces=(match.id, reverse.score),
                          story_id=match.story_id if match.story_id not in (None, match.id) else None)


def _store_article(session: Session, res: Resources, article: Article, analysis: Analysis, *,
                   is_archive: bool, verdicts: dict[int, dedup.Verdict] | None = None) -> _Stored:
    """Dedup against the index, then store the article with its mentions and claims.

    `verdicts` holds comparisons already made with candidates (by id), which
    are not made again.
    """
    decision = _dedup_decision(session, article, analysis, res.settings.dedup, is_archive=is_archive,
                               verdicts={} if verdicts is None else verdicts)
    columns: dict[str, object] = {"text_hash": analysis.text_hash, "fetched_at": res.clock(),
                                  "is_archive": is_archive}
    if decision.copy_of is not None:
        match, score = decision.copy_of
        # Marked a copy in the INSERT itself: inserted as an original first, an
        # exact copy would break the one-original-per-text index.
        article_id = queries.add_article(session, article, {
            **columns, "duplicate_of_id": match.id, "similarity": score,
            "family_id": match.family_id or match.id, "story_id": match.story_id or match.id})
        return _Stored(article_id, duplicate=True, originals=0, duplicates=1, mentioning=0, claims=0)
    if decision.displaces is not None:
        queries.set_aside_original(session, decision.displaces[0])
    if decision.story_id is not None:
        columns["story_id"] = decision.story_id
    article_id = queries.add_article(session, article, {
        **columns, "signature": dedup.signature_to_bytes(analysis.signature),
        "claims_version": claim_reader.READER_VERSION})
    mentioned, claimed = 0, 0
    if decision.displaces is not None:
        mentioned, claimed = queries.make_copy_of(session, decision.displaces[0], article_id,
                                                  decision.displaces[1])
    queries.add_band_keys(session, article_id, "copy", analysis.copy_keys)
    queries.add_band_keys(session, article_id, "story", analysis.story_keys)
    queries.add_mentions(session, article_id, analysis.mentions)
    queries.add_claims(session, article_id, _claim_rows(analysis.claims))
    if decision.displaces is None:
        return _Stored(article_id, duplicate=False, originals=1, duplicates=0,
                       mentioning=int(bool(analysis.mentions)), claims=len(analysis.claims))
    return _Stored(article_id, duplicate=False, originals=0, duplicates=1,
                   mentioning=int(bool(analysis.mentions)) - int(mentioned > 0),
                   claims=len(analysis.claims) - claimed)


def _precedes(article: Article, stored: tuple[date | None, datetime | None, str, bool]) -> bool:
    """True when `article` was published before a stored one (ties: the lower URL); archive articles lead."""
    published_on, published_at, url, is_archive = stored
    if is_archive:
        return False
    return _publication_key(article.published_on, article.published_at, article.url) < \
        _publication_key(published_on, published_at, url)


def _publication_key(published_on: date | None, published_at: datetime | None,
                     url: str) -> tuple[date, datetime, str]:
    # A known time orders within a day; a date alone counts as the day's start.
    day = published_on or (published_at.date() if published_at else date.max)
    return day, published_at or datetime.combine(day, datetime.min.time(), UTC), url


def _candidates(session: Session, kind: str, keys: Sequence[tuple[int, int]]) -> Iterator[StoredArticle]:
    """The index's candidates for band keys, most shared bands first, loaded when first iterated."""
    yield from queries.stored_articles(session, queries.candidate_articles(session, kind, keys, MAX_CANDIDATES))


# --- claims and changes --------------------------------------------------------------------


def _claim_rows(claims: Iterable[Claim]) -> list[dict[str, object]]:
    return [{"seq": i, "topic": c.topic, "subject": c.subject, "kind": c.kind.value,
             "value": queries.encode_value(c.value), "sentence": queries.clean_text(c.text),
             "start": c.start, "end": c.end, "historical": c.historical,
             "reader_version": claim_reader.READER_VERSION}
            for i, c in enumerate(claims)]


def rebuild_claims(res: Resources) -> tuple[int, int]:
    """Re-read the mentions and claims of every stored article, then recompute changes; returns (articles, claims).

    Mentions are re-read too, with the current topics: a topic added to the
    config reaches every stored article.
    """
    articles = claims_total = 0
    with transaction(res.sessions) as session:
        ids = queries.original_article_ids(session)
    for article_id in ids:
        with transaction(res.sessions) as session:
            article = queries.article_record(session, article_id)
            mentions = find_mentions(article.text, res.settings.topics, article.title)
            queries.replace_mentions(session, article_id, mentions)
            claims = read_article_claims(article, res.settings.topics) if mentions else []
            reviews.replace_claims_keeping_ids(session, article_id, article.url, _claim_rows(claims))
            queries.set_claims_version(session, article_id, claim_reader.READER_VERSION)
            articles += 1
            claims_total += len(claims)
    with transaction(res.sessions) as session:
        _recompute_changes(session, res, everything=True)
    return articles, claims_total


def reported_claims(session: Session, topic: str | None = None,
                    groups: Collection[queries.ClaimGroup] | None = None) -> list[ReportedClaim]:
    """Every stored claim (of a topic, or of some groups) with its article, in publication order."""
    reported = []
    for claim_row, article in queries.all_claims(session, topic, groups):
        claim = Claim(topic=claim_row.topic, subject=claim_row.subject,
                      kind=ClaimKind(claim_row.kind), value=queries.decode_value(claim_row.value),
                      text=claim_row.sentence, start=claim_row.start, end=claim_row.end,
                      historical=claim_row.historical)
        reported.append(ReportedClaim(claim=claim, article_id=article.id, url=article.url,
                                      title=article.title, published_on=article.published_on or
                                      article.fetched_at.date(), family_id=article.family_id or article.id,
                                      published_at=queries.aware(article.published_at) if article.published_at else None,
                                      outlet=outlet_of(article.url, article.source), claim_id=claim_row.id,
                                      source=article.source))
    return reported


def load_report(session: Session, since: date | None, now: datetime) -> report.ReportData:
    """The change report from the store: changes since `since`, mentioning articles, each subject's consensus."""
    return report.build_report(queries.change_payloads(session, since), queries.listed_articles(session, since),
                               queries.consensus_payloads(session), since, now)


def assess_claims(session: Session, res: Resources) -> change_rules.Assessment:
    """Changes and each subject's consensus over every stored claim, as reviewed (pure rules over the claims)."""
    return _assess(session, res, reviews.reviews_by_claim_id(session))


def _assess(session: Session, res: Resources, reviewed: review.Reviews) -> change_rules.Assessment:
    claims, pinned = review.apply_reviews(reported_claims(session), reviewed)
    return change_rules.assess_claims(claims, res.settings.exchange_rates, pinned=pinned)


def compute_changes(session: Session, res: Resources) -> list[Change]:
    """Changes over every stored claim (pure rules over the stored claims)."""
    return assess_claims(session, res).changes


def recompute_changes(res: Resources) -> int:
    """Recompute every change and consensus from the stored claims in one transaction; returns how many
    changes are new."""
    with transaction(res.sessions) as session:
        return _recompute_changes(session, res, everything=True)


def update_changes(res: Resources) -> int:
    """Reassess the changes of the claims stored since the last assessment; returns how many changes are new."""
    with transaction(res.sessions) as session:
        return _recompute_changes(session, res)


def _recompute_changes(session: Session, res: Resources, *, everything: bool = False) -> int:
    """Store the changes and consensus the stored claims come to; returns how many changes are new.

    Only the (topic, subject, kind) groups of the claims stored since the last
    assessment are reassessed: each group's changes depend on its claims alone
    (a family's claims come from one article: copies carry none), so the
    result is the full recompute's (tests/test_jobs.py compares them), at a
    cost that grows with what is new, not with history. Everything is
    reassessed when asked (`claims rebuild`), the first time, and when the
    exchange rates or the rules changed.
    """
    # Serialised with article writes, so `detected_at` orders commits and no
    # claim commits below the mark: the digest (digest_job.load_digest) takes
    # the same lock to read a clean window.
    queries.lock_article_writes(session)
    reviewed = reviews.reviews_by_claim_id(session)
    mark = queries.AssessmentMark(queries.last_claim_id(session), _assessment_fingerprint(res, reviewed))
    before = queries.assessment_mark(session)
    groups = None if everything or before is None or before.fingerprint != mark.fingerprint \
        else queries.claim_groups_after(session, before.last_claim_id)
    queries.set_assessment_mark(session, mark)
    if groups is not None and not groups:
        return 0
    claims, pinned = review.apply_reviews(reported_claims(session, groups=groups), reviewed)
    assessment = change_rules.assess_claims(claims, res.settings.exchange_rates, pinned=pinned)
    computed = {}
    for change in assessment.changes:
        key = queries.ChangeKey(change.topic, change.subject, change.kind.value,
                                change.milestone.value if change.milestone else "", change.current.article_id)
        computed[key] = queries.ComputedChange(change.direction, change.current.published_on,
                                               change.previous.article_id,
                                               review.mark_change(change_rules.change_json(change), reviewed))
    subjects = [change_rules.consensus_json(c) for c in assessment.subjects]
    if groups is not None:
        # The other groups' consensus stays; each group's block keeps its place in the report's order.
        kept = [p for p in queries.consensus_payloads(session) if _claim_group(p) not in groups]
        subjects = sorted(kept + subjects, key=_claim_group)
    queries.replace_consensus(session, subjects)
    return queries.sync_changes(session, computed, res.clock(), groups)


def _claim_group(payload: Mapping[str, object]) -> queries.ClaimGroup:
    return (str(payload["topic"]), str(payload["subject"]), str(payload["kind"]))


def _assessment_fingerprint(res: Resources, reviewed: review.Reviews) -> str:
    """What the stored changes were assessed with besides the claims: the rules, the exchange rates and the
    analysts' reviews (a review can move any group: it reassesses everything)."""
    reviews_seen = repr(sorted((claim_id, r.action.value, r.reviewed_at.isoformat())
                               for claim_id, r in reviewed.items()))
    return hashlib.sha256(f"{change_rules.RULES_VERSION} {res.settings.exchange_rates.fingerprint()} "
                          f"{reviews_seen}".encode()).hexdigest()


# --- feed state -----------------------------------------------------------------------------


def fetch_or_error(res: Resources, url: str, validators: Validators | None) -> FetchResult | FetchError:
    """Fetch a feed or page once its host's limits let it go; a failure is returned, not raised."""
    assert res.gate is not None   # set in Resources.__post_init__
    try:
        with res.gate.hold(url):
            return res.fetcher.fetch(url, validators)
    except FetchError as exc:
        return exc


def _record_feed_success(res: Resources, spec: FeedSpec, result: FetchResult) -> None:
    with transaction(res.sessions) as session:
        save_feed_success(session, res, spec, result)


def save_feed_success(session: Session, res: Resources, spec: FeedSpec, result: FetchResult) -> None:
    """A feed fetched: its new polling state (in the caller's transaction)."""
    state = queries.sync_feeds(session, [spec])[spec.name]
    queries.save_feed_state(session, polling.after_success(state, result, res.clock(), _interval(spec)))


def _interval(spec: FeedSpec) -> timedelta:
    return timedelta(minutes=spec.interval_minutes)


_DATABASE_DOWN = (OperationalError, InterfaceError)


def _store_error(exc: OperationalError | InterfaceError) -> StoreError:
    """The pass stops: the database, not a feed, failed (what was committed stays)."""
    return StoreError(f"the database failed during the pass, which stopped; run it again once the "
                      f"database is back: {type(exc.orig).__name__}: {exc.orig}")


def _record_feed_failure(res: Resources, spec: FeedSpec, reason: str, counts: PassCounts,
                         error: FetchError | None = None) -> None:
    with transaction(res.sessions) as session:
        save_feed_failure(session, res, spec, reason, counts, error)


def save_feed_failure(session: Session, res: Resources, spec: FeedSpec, reason: str, counts: PassCounts,
                      error: FetchError | None = None) -> None:
    """A feed failed: counted, logged, and its new polling state (backoff) in the caller's transaction."""
    counts.feeds_failed += 1
    counts.error(reason)
    log.warning("feed %s failed: %s", spec.name, reason)
    failure = polling.FeedFailure(reason, error, jitter=timedelta(seconds=random.uniform(0, 60)))
    state = queries.sync_feeds(session, [spec])[spec.name]
    queries.save_feed_state(session, polling.after_failure(state, failure, res.clock(), _interval(spec)))


def poll_feeds(res: Resources, *, feed_names: Sequence[str] = (), all_feeds: bool = False) -> RunSummary:
    """`run` from cron or the scheduler: under the "run" lock, import the archive once, then one pass.

    Raises AlreadyRunningError at once when another pass holds the lock.
    """
    with locks.hold(locks.engine_of(res.sessions), "run"):
        import_archive(res)
        known = alert_job.known_changes(res)
        summary = run_pass(res, feed_names=feed_names, all_feeds=all_feeds)
        alert_job.after_pass(res, known)   # [[alerts]]: the changes this pass found, posted before it ends
        return summary


def _report(res: Resources, message: str) -> None:
    if res.progress is not None:
        res.progress(message)


__all__ = ["Resources", "run_pass", "poll_feeds", "import_archive", "rebuild_claims", "reported_claims", "load_report",
           "assess_claims", "compute_changes", "recompute_changes", "update_changes", "archive_dir", "read_archive", "utc_now"]
