"""The jobs: the only place that composes stages and opens transactions.

    run_pass:  due feeds -> fetch (thread pool) -> parse -> new entries
               -> fetch pages (thread pool) -> prepare (prepare.py, worker processes):
                  extract -> date -> signature, mentions, claims
               -> per article, one transaction: dedup -> store
               -> recompute changes -> RunSummary
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
from collections.abc import Callable, Iterable, Sequence
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
from pipeline import alert_job, dedup, locks, review
from pipeline.config import Settings
from pipeline.errors import FeedError, FetchError, StoreError
from pipeline.feeds import parse_feed
from pipeline.fetch import Fetcher, FetchResult, Validators
from pipeline.mentions import find_mentions
from pipeline.prepare import NO_TEXT, Analysis, PageJob, PagePreparer, PreparedPage, analyse, read_article_claims
from pipeline.records import (
    Article,
    Change,
    Claim,
    ClaimKind,
    DateSource,
    Entry,
    FeedSpec,
    ReportedClaim,
    RunSummary,
)
from pipeline.store import queries, reviews
from pipeline.store.db import transaction
from pipeline.store.models import ArticleRow, FeedRow
from pipeline.urls import canonical_url, outlet_of

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
Progress = Callable[[str], None]

MAX_CANDIDATES = 20            # verified per lookup, most shared LSH bands first
MAX_PAGE_ATTEMPTS = 3           # a page that fails to download is retried on the next passes
MAX_BACKOFF = timedelta(days=1)
DISABLE_AFTER_ERRORS = 30       # Media Cloud's MAX_FAILURES: then the feed is flagged, not polled


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


@dataclass
class _Counts:
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
    counts = _Counts()
    now = res.clock()
    with transaction(res.sessions) as session:
        run_id = queries.start_run(session, "run", now)
        rows = queries.sync_feeds(session, res.settings.feeds)
        due = [spec for spec in res.settings.feeds
               if _is_due(rows[spec.name], now, forced=all_feeds, named=spec.name in feed_names)
               and (not feed_names or spec.name in feed_names)]
        refresh = timedelta(hours=res.settings.fetch.refresh_unconditional_hours)
        validators = {spec.name: _validators(rows[spec.name], now, refresh) for spec in due}
        body_hashes = {spec.name: rows[spec.name].body_hash for spec in due}
    counts.feeds_skipped = len(res.settings.feeds) - len(due) if not feed_names else 0
    _report(res, f"polling {len(due)} feed(s)")
    with ThreadPoolExecutor(max_workers=res.settings.fetch.workers) as pool, \
            PagePreparer(res.settings.processing) as preparer:
        fetched = list(pool.map(lambda spec: _fetch_or_error(res.fetcher, spec.url, validators[spec.name]), due))
        # One feed ahead: the next feed's pages download and go to the worker
        # processes while this one's are stored, so the workers never wait
        # for the store at a feed boundary (benchmarks P6).
        claimed: set[str] = set()
        waiting: _Intake | None = None
        for spec, outcome in zip(due, fetched, strict=True):
            intake = _guarded(res, spec, counts, partial(_take_in, res, pool, preparer, spec, outcome,
                                                         body_hashes[spec.name], counts, claimed))
            _store_intake(res, waiting, counts)
            waiting = intake
        _store_intake(res, waiting, counts)
    with transaction(res.sessions) as session:
        counts.changes = _recompute_changes(session, res)
        summary = counts.summary()
        queries.finish_run(session, run_id, "ok" if not (due and counts.feeds_ok == 0) else "failed",
                           dict(vars(summary)), res.clock())
    return summary


_T = TypeVar("_T")


def _guarded(res: Resources, spec: FeedSpec, counts: _Counts, step: Callable[[], _T]) -> _T | None:
    """Run one feed's step; a failure is that feed's (None), unless the database is down."""
    try:
        return step()
    except _DATABASE_DOWN as exc:  # not the feed's fault: never counted against it (checklist D12)
        raise _store_error(exc) from exc
    except Exception as exc:  # one broken feed never stops the pass
        log.exception("feed %s failed", spec.name)
        _record_feed_failure(res, spec, f"internal error: {type(exc).__name__}: {exc}", None, counts)
        return None


@dataclass(frozen=True)
class _Intake:
    """A changed feed's new entries, each with its page on the way (download, then preparation)."""

    spec: FeedSpec
    outcome: FetchResult
    body_hash: str | None
    entries: list[tuple[str, str, Entry]]
    pages: list[FetchError | Future[PreparedPage | str]]


def _take_in(res: Resources, pool: ThreadPoolExecutor, preparer: PagePreparer, spec: FeedSpec,
             outcome: FetchResult | FetchError, last_hash: str | None, counts: _Counts,
             claimed: set[str]) -> _Intake | None:
    """Parse a fetched feed and send its new pages on their way; None when there is nothing to store."""
    if isinstance(outcome, FetchError):
        _record_feed_failure(res, spec, outcome.reason, outcome, counts)
        return None
    if outcome.permanent_redirect:
        # Checklist N12: the config is the user's, so the URL polled stays the
        # configured one (each hop is checked by the guard every time); the
        # move is reported on every pass until the user updates the config.
        log.warning("feed %s moved permanently to %s; update its url in %s",
                    spec.name, outcome.permanent_redirect, res.settings.source)
    body_hash = hashlib.sha256(outcome.body).hexdigest() if not outcome.not_modified else last_hash
    if outcome.not_modified or body_hash == last_hash:
        # RFC 9110 304, or a server that ignores conditional requests but sent the same bytes.
        _record_feed_success(res, spec, outcome, body_hash)
        counts.feeds_ok += 1
        return None
    try:
        entries = parse_feed(outcome.body, feed_name=spec.name, feed_url=outcome.url,
                             content_type=outcome.content_type,
                             max_entries=res.settings.fetch.max_entries_per_feed)
    except FeedError as exc:
        _record_feed_failure(res, spec, exc.reason, None, counts)
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
    downloads = [pool.submit(_fetch_or_error, res.fetcher, link, None) for _, link, _ in new]
    pages: list[FetchError | Future[PreparedPage | str]] = []
    for (_, _, entry), download in zip(new, downloads, strict=True):
        page = download.result()
        pages.append(page if isinstance(page, FetchError) else preparer.submit(
            PageJob(body=page.body, url=page.url, entry_title=entry.title, entry_published_at=entry.published_at,
                    source=spec.name, now=now, topics=res.settings.topics), in_workers=in_workers))
    return _Intake(spec, outcome, body_hash, new, pages)


def _store_intake(res: Resources, intake: _Intake | None, counts: _Counts) -> None:
    """Store a feed's prepared pages in feed order and record its success; a failure is the feed's."""
    if intake is not None:
        _guarded(res, intake.spec, counts, partial(_store_pages, res, intake, counts))


def _store_pages(res: Resources, intake: _Intake, counts: _Counts) -> None:
    spec = intake.spec
    for (entry_key, link, _entry), item in zip(intake.entries, intake.pages, strict=True):
        try:
            result = item if isinstance(item, FetchError) else item.result()
            _ingest_entry(res, spec, entry_key, link, result, counts)
        except _DATABASE_DOWN:
            raise
        except Exception as exc:  # one broken page never stops the feed (checklist H9)
            log.exception("article %s failed", link)
            counts.error(f"internal error: {type(exc).__name__}")
            with transaction(res.sessions) as session:
                queries.record_seen(session, spec.name, entry_key, url=canonical_url(link),
                                    outcome="failed", now=res.clock(), error=f"{type(exc).__name__}: {exc}")
    _record_feed_success(res, spec, intake.outcome, intake.body_hash)
    counts.feeds_ok += 1


def _new_entries(res: Resources, spec: FeedSpec, entries: Sequence[Entry],
                 claimed: set[str]) -> list[tuple[str, str, Entry]]:
    """Entries neither seen in this feed (by GUID/link), nor stored under their canonical URL, nor
    `claimed` (on their way from an earlier feed of this pass); the new ones' URLs are claimed."""
    keyed: dict[str, tuple[str, Entry]] = {}
    links: dict[str, set[str]] = {}
    for entry in entries:
        if entry.link:
            links.setdefault(_entry_key(entry), set()).add(entry.link)
    for entry in entries:
        if not entry.link:
            continue  # nothing to fetch (checklist F15); counted by the caller
        key = _entry_key(entry)
        if len(links[key]) > 1:
            # One GUID on several links (checklist F13): keyed by GUID alone,
            # every item but the first would be dropped without a trace.
            key = f"{key} {entry.link}"
        keyed.setdefault(key, (entry.link, entry))
    urls = {link: canonical_url(link) for link, _ in keyed.values()}
    with transaction(res.sessions) as session:
        seen = queries.seen_entry_keys(session, spec.name, keyed)
        known = queries.known_urls(session, urls.values())
    new: list[tuple[str, str, Entry]] = []
    for key, (link, entry) in keyed.items():
        row = seen.get(key)
        if row is not None and not (row.outcome == "fetch_failed" and row.attempts < MAX_PAGE_ATTEMPTS):
            continue
        url = urls[link]
        if url in known or url in claimed:
            continue
        claimed.add(url)
        new.append((key, link, entry))
    return new


def _entry_key(entry: Entry) -> str:
    """GUID, else link, else a hash of the text (checklist F16), scoped to the feed by the caller."""
    if entry.guid:
        return entry.guid
    if entry.link:
        return entry.link
    return "sha256:" + hashlib.sha256(f"{entry.title}\n{entry.summary}".encode()).hexdigest()


def _ingest_entry(res: Resources, spec: FeedSpec, entry_key: str, link: str,
                  outcome: FetchError | PreparedPage | str, counts: _Counts) -> None:
    """Record what came of one new entry; store its article in one transaction."""
    now = res.clock()
    if isinstance(outcome, FetchError):
        counts.error(outcome.reason)
        with transaction(res.sessions) as session:
            queries.record_seen(session, spec.name, entry_key, url=canonical_url(link),
                                outcome="fetch_failed", now=now, error=outcome.reason)
        return
    if isinstance(outcome, str):
        counts.error(outcome)
        with transaction(res.sessions) as session:
            queries.record_seen(session, spec.name, entry_key, url=canonical_url(link),
                                outcome="no_text" if outcome == NO_TEXT else "failed", now=now, error=outcome)
        return
    article, analysis = outcome.article, outcome.analysis
    for attempt in (1, 2):
        try:
            with transaction(res.sessions) as session:
                queries.lock_article_writes(session)
                existing = queries.article_by_url(session, article.url)
                if existing is not None:
                    # Stored meanwhile by another pass (or feed): the same outcome it recorded.
                    queries.record_seen(session, spec.name, entry_key, url=article.url,
                                        outcome="article" if existing.duplicate_of_id is None else "duplicate",
                                        now=now, article_id=existing.id)
                    return
                stored = _store_article(session, res, article, analysis, is_archive=False)
                queries.record_seen(session, spec.name, entry_key, url=article.url,
                                    outcome="duplicate" if stored.duplicate else "article",
                                    now=now, article_id=stored.article_id)
            counts.duplicates += stored.duplicate
            counts.new_articles += not stored.duplicate
            counts.mentions += stored.mentions > 0
            counts.claims += stored.claims
            return
        except IntegrityError:
            # A concurrent pass stored the same URL or text first and the schema
            # kept one row (checklist D2); once more, now seeing its row.
            log.info("%s collided with a concurrent pass (attempt %d)", article.url, attempt)
    raise RuntimeError(f"could not store {article.url} after a concurrent insert")


@dataclass(frozen=True)
class _Stored:
    """What storing one article came to."""

    article_id: int
    duplicate: bool
    mentions: int
    claims: int


def _store_article(session: Session, res: Resources, article: Article, analysis: Analysis, *,
                   is_archive: bool) -> _Stored:
    """Dedup against the index, then store the article with its mentions and claims."""
    settings = res.settings.dedup
    columns: dict[str, object] = {"text_hash": analysis.text_hash, "fetched_at": res.clock(),
                                  "is_archive": is_archive}
    # The same normalised text is a copy without a look at the index: syndicated
    # and re-linked articles often are, and verifying them costs more than storing.
    same_text = queries.original_with_text_hash(session, analysis.text_hash)
    copy_of = (dedup.Verdict(dedup.Decision.COPY, 1.0), same_text) if same_text is not None \
        else _closest(session, article.text, "copy", analysis.copy_keys, settings)
    if copy_of is not None and copy_of[0].decision is dedup.Decision.COPY:
        # Marked a copy in the INSERT itself: inserted as an original first, an
        # exact copy would break the one-original-per-text index.
        verdict, match = copy_of
        article_id = queries.add_article(session, article, {
            **columns, "duplicate_of_id": match.id, "similarity": verdict.score,
            "family_id": match.family_id or match.id, "story_id": match.story_id or match.id})
        return _Stored(article_id, duplicate=True, mentions=0, claims=0)
    story_of = _closest(session, article.text, "story", analysis.story_keys, settings)
    if story_of is not None and story_of[0].decision is not dedup.Decision.DISTINCT:
        columns["story_id"] = story_of[1].story_id or story_of[1].id
    article_id = queries.add_article(session, article, {
        **columns, "signature": dedup.signature_to_bytes(analysis.signature),
        "claims_version": claim_reader.READER_VERSION})
    queries.add_band_keys(session, article_id, "copy", analysis.copy_keys)
    queries.add_band_keys(session, article_id, "story", analysis.story_keys)
    queries.add_mentions(session, article_id, analysis.mentions)
    queries.add_claims(session, article_id, _claim_rows(analysis.claims))
    return _Stored(article_id, duplicate=False, mentions=len(analysis.mentions), claims=len(analysis.claims))


def _closest(session: Session, text: str, kind: str, keys: Sequence[tuple[int, int]],
             settings: dedup.DedupSettings) -> tuple[dedup.Verdict, queries.StoredArticle] | None:
    """The strongest verified verdict among the index's candidates (None: no candidate)."""
    rank = {dedup.Decision.DISTINCT: 0, dedup.Decision.SAME_STORY: 1, dedup.Decision.COPY: 2}
    best: tuple[dedup.Verdict, queries.StoredArticle] | None = None
    candidates = queries.candidate_articles(session, kind, keys)[:MAX_CANDIDATES]
    for candidate in queries.stored_articles(session, candidates):
        verdict = dedup.classify(dedup.compare_texts(text, candidate.text, settings), settings)
        if best is None or (rank[verdict.decision], verdict.score) > (rank[best[0].decision], best[0].score):
            best = (verdict, candidate)
    return best


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
        ids = [row.id for row in queries.original_articles(session)]
    for article_id in ids:
        with transaction(res.sessions) as session:
            row = queries.articles_by_ids(session, [article_id])[article_id]
            article = _article_of(row)
            mentions = find_mentions(article.text, res.settings.topics, article.title)
            queries.replace_mentions(session, article_id, mentions)
            claims = read_article_claims(article, res.settings.topics) if mentions else []
            reviews.replace_claims_keeping_ids(session, article_id, row.url, _claim_rows(claims))
            row.claims_version = claim_reader.READER_VERSION
            articles += 1
            claims_total += len(claims)
    with transaction(res.sessions) as session:
        _recompute_changes(session, res)
    return articles, claims_total


def _article_of(row: ArticleRow) -> Article:
    return Article(url=row.url, title=row.title, text=row.text, published_on=row.published_on,
                   date_source=DateSource(row.date_source), source=row.source)


def reported_claims(session: Session, topic: str | None = None) -> list[ReportedClaim]:
    """Every stored claim with its article, in publication order."""
    reported = []
    for claim_row, article in queries.all_claims(session, topic):
        claim = Claim(topic=claim_row.topic, subject=claim_row.subject,
                      kind=ClaimKind(claim_row.kind), value=queries.decode_value(claim_row.value),
                      text=claim_row.sentence, start=claim_row.start, end=claim_row.end,
                      historical=claim_row.historical)
        reported.append(ReportedClaim(claim=claim, article_id=article.id, url=article.url,
                                      title=article.title, published_on=article.published_on or
                                      article.fetched_at.date(), family_id=article.family_id or article.id,
                                      published_at=_aware(article.published_at) if article.published_at else None,
                                      outlet=outlet_of(article.url, article.source), claim_id=claim_row.id,
                                      source=article.source))
    return reported


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
    """Recompute changes and consensus from the stored claims in one transaction; returns how many changes are new."""
    with transaction(res.sessions) as session:
        return _recompute_changes(session, res)


def _recompute_changes(session: Session, res: Resources) -> int:
    """Store the changes and consensus the stored claims come to; returns how many changes are new."""
    # Serialised with article writes, so `detected_at` orders commits: the
    # digest (digest_job.load_digest) takes the same lock to read a clean window.
    queries.lock_article_writes(session)
    reviewed = reviews.reviews_by_claim_id(session)
    assessment = _assess(session, res, reviewed)
    computed = {}
    for change in assessment.changes:
        key = queries.ChangeKey(change.topic, change.subject, change.kind.value,
                                change.milestone.value if change.milestone else "", change.current.article_id)
        computed[key] = queries.ComputedChange(change.direction, change.current.published_on,
                                               change.previous.article_id,
                                               review.mark_change(change_rules.change_json(change), reviewed))
    queries.replace_consensus(session, [change_rules.consensus_json(c) for c in assessment.subjects])
    return queries.sync_changes(session, computed, res.clock())


# --- feed state -----------------------------------------------------------------------------


def _is_due(row: FeedRow, now: datetime, *, forced: bool, named: bool = False) -> bool:
    """A feed named on the command line always; a disabled one (410, too many failures) never
    otherwise, not even with --all (checklist N18); then --all or the schedule."""
    if named:
        return True
    if row.disabled_reason:
        return False
    if forced:
        return True
    return row.next_poll_at is None or _aware(row.next_poll_at) <= now


def _aware(value: datetime) -> datetime:
    """SQLite returns naive datetimes; everything stored is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _validators(row: FeedRow, now: datetime, refresh: timedelta) -> Validators:
    """The stored ETag and Last-Modified; none when the last full body is older than `refresh`.

    A server may answer 304 to a stale validator forever; a periodic fetch
    without validators gets the body whatever it keeps (Miniflux does the same).
    """
    if refresh and (row.full_fetched_at is None or _aware(row.full_fetched_at) + refresh <= now):
        return Validators()
    return Validators(etag=row.etag, last_modified=row.last_modified)


def _fetch_or_error(fetcher: Fetcher, url: str, validators: Validators | None) -> FetchResult | FetchError:
    try:
        return fetcher.fetch(url, validators)
    except FetchError as exc:
        return exc


def _record_feed_success(res: Resources, spec: FeedSpec, result: FetchResult, body_hash: str | None) -> None:
    now = res.clock()
    with transaction(res.sessions) as session:
        row = queries.sync_feeds(session, [spec])[spec.name]
        row.last_fetched_at = row.last_success_at = now
        row.last_status, row.last_error, row.consecutive_errors = result.status, None, 0
        row.disabled_reason = None      # polled by name and back: enabled again
        if not result.not_modified:
            row.etag, row.last_modified, row.body_hash = result.etag, result.last_modified, body_hash
            row.full_fetched_at = now
        elif result.last_modified:
            row.last_modified = result.last_modified
        row.next_poll_at = now + timedelta(minutes=spec.interval_minutes)


_DATABASE_DOWN = (OperationalError, InterfaceError)


def _store_error(exc: OperationalError | InterfaceError) -> StoreError:
    """The pass stops: the database, not a feed, failed (what was committed stays)."""
    return StoreError(f"the database failed during the pass, which stopped; run it again once the "
                      f"database is back: {type(exc.orig).__name__}: {exc.orig}")


def _record_feed_failure(res: Resources, spec: FeedSpec, reason: str, error: FetchError | None,
                         counts: _Counts) -> None:
    now = res.clock()
    counts.feeds_failed += 1
    counts.error(reason)
    log.warning("feed %s failed: %s", spec.name, reason)
    with transaction(res.sessions) as session:
        row = queries.sync_feeds(session, [spec])[spec.name]
        row.last_fetched_at, row.last_error = now, queries.clean_text(reason)
        row.last_status = error.status if error else row.last_status
        row.consecutive_errors += 1
        row.total_errors += 1
        row.next_poll_at = now + _backoff(spec, row.consecutive_errors, error)
        if error is not None and error.status == 410:
            row.disabled_reason = "gone (HTTP 410): remove it from the config or fix its URL"
        elif row.consecutive_errors >= DISABLE_AFTER_ERRORS:
            row.disabled_reason = f"{row.consecutive_errors} failures in a row; last: {reason}"


def _backoff(spec: FeedSpec, errors: int, error: FetchError | None) -> timedelta:
    """Interval doubled per consecutive error, capped; Retry-After honoured; some jitter."""
    base = timedelta(minutes=spec.interval_minutes) * (2 ** min(errors - 1, 6))
    if error is not None and error.retry_after_s:
        base = max(base, timedelta(seconds=error.retry_after_s))
    jitter = timedelta(seconds=random.uniform(0, 60))
    capped: timedelta = min(base, MAX_BACKOFF)
    return capped + jitter


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


__all__ = ["Resources", "run_pass", "poll_feeds", "import_archive", "rebuild_claims", "reported_claims",
           "assess_claims", "compute_changes", "recompute_changes", "archive_dir", "read_archive", "utc_now"]
