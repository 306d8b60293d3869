"""The jobs: the only place that composes stages and opens transactions.

    run_pass:  due feeds -> fetch (thread pool) -> parse -> new entries
               -> fetch pages (thread pool) -> per article, one transaction:
                  extract -> dedup -> mentions -> claims -> store
               -> recompute changes -> RunSummary
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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from pipeline import changes as change_rules
from pipeline import claims as claim_reader
from pipeline import dedup
from pipeline.config import Settings
from pipeline.errors import FeedError, FetchError
from pipeline.extract import extract_page
from pipeline.feeds import parse_feed
from pipeline.fetch import Fetcher, FetchResult, Validators
from pipeline.mentions import find_mentions
from pipeline.records import (
    Article,
    Change,
    Claim,
    ClaimKind,
    DateSource,
    Entry,
    FeedSpec,
    Mention,
    ReportedClaim,
    RunSummary,
)
from pipeline.store import queries
from pipeline.store.db import transaction
from pipeline.store.models import ArticleRow, ClaimRow, FeedRow
from pipeline.urls import canonical_url, same_site

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
            if queries.article_by_url(session, url) is not None:
                continue
            article = Article(url=url, title=item.title or item.path.stem,
                              text=item.path.read_text(encoding="utf-8"), published_on=item.published_on,
                              date_source=DateSource.ARCHIVE, source="archive")
            queries.lock_article_writes(session)
            _store_article(session, res, article, _analyse(article, res), is_archive=True)
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
               if _is_due(rows[spec.name], now, forced=all_feeds or spec.name in feed_names)
               and (not feed_names or spec.name in feed_names)]
        validators = {spec.name: _validators(rows[spec.name]) for spec in due}
        body_hashes = {spec.name: rows[spec.name].body_hash for spec in due}
    counts.feeds_skipped = len(res.settings.feeds) - len(due) if not feed_names else 0
    _report(res, f"polling {len(due)} feed(s)")
    with ThreadPoolExecutor(max_workers=res.settings.fetch.workers) as pool:
        fetched = list(pool.map(lambda spec: _fetch_or_error(res.fetcher, spec.url, validators[spec.name]), due))
        for spec, outcome in zip(due, fetched, strict=True):
            try:
                _process_feed(res, pool, spec, outcome, body_hashes[spec.name], counts)
            except Exception as exc:  # one broken feed never stops the pass
                log.exception("feed %s failed", spec.name)
                _record_feed_failure(res, spec, f"internal error: {type(exc).__name__}: {exc}", None, counts)
    with transaction(res.sessions) as session:
        counts.changes = _recompute_changes(session, res)
        summary = counts.summary()
        queries.finish_run(session, run_id, "ok" if not (due and counts.feeds_ok == 0) else "failed",
                           dict(vars(summary)), res.clock())
    return summary


def _process_feed(res: Resources, pool: ThreadPoolExecutor, spec: FeedSpec,
                  outcome: FetchResult | FetchError, last_hash: str | None, counts: _Counts) -> None:
    if isinstance(outcome, FetchError):
        _record_feed_failure(res, spec, outcome.reason, outcome, counts)
        return
    body_hash = hashlib.sha256(outcome.body).hexdigest() if not outcome.not_modified else last_hash
    if outcome.not_modified or body_hash == last_hash:
        # RFC 9110 304, or a server that ignores conditional requests but sent the same bytes.
        _record_feed_success(res, spec, outcome, body_hash)
        counts.feeds_ok += 1
        return
    try:
        entries = parse_feed(outcome.body, feed_name=spec.name, feed_url=outcome.url,
                             content_type=outcome.content_type,
                             max_entries=res.settings.fetch.max_entries_per_feed)
    except FeedError as exc:
        _record_feed_failure(res, spec, exc.reason, None, counts)
        return
    counts.entries += len(entries)
    new = _new_entries(res, spec, entries)
    _report(res, f"{spec.name}: {len(entries)} entries, {len(new)} new")
    pages = pool.map(lambda item: _fetch_or_error(res.fetcher, item[1], None), new)
    for (entry_key, link, entry), page in zip(new, pages, strict=True):
        try:
            _ingest_entry(res, spec, entry_key, link, entry, page, counts)
        except Exception as exc:  # one broken page never stops the feed (checklist H9)
            log.exception("article %s failed", link)
            counts.error(f"internal error: {type(exc).__name__}")
            with transaction(res.sessions) as session:
                queries.record_seen(session, spec.name, entry_key, url=canonical_url(link),
                                    outcome="failed", now=res.clock(), error=f"{type(exc).__name__}: {exc}")
    _record_feed_success(res, spec, outcome, body_hash)
    counts.feeds_ok += 1


def _new_entries(res: Resources, spec: FeedSpec, entries: Sequence[Entry]) -> list[tuple[str, str, Entry]]:
    """Entries neither seen in this feed (by GUID/link) nor stored under their canonical URL."""
    keyed: dict[str, tuple[str, Entry]] = {}
    for entry in entries:
        if not entry.link:
            continue  # nothing to fetch (checklist F15); counted among entries only
        keyed.setdefault(_entry_key(entry), (entry.link, entry))
    with transaction(res.sessions) as session:
        seen = queries.seen_entry_keys(session, spec.name, keyed)
        known = queries.known_urls(session, (canonical_url(link) for link, _ in keyed.values()))
    new: list[tuple[str, str, Entry]] = []
    batch_urls: set[str] = set()
    for key, (link, entry) in keyed.items():
        row = seen.get(key)
        if row is not None and not (row.outcome == "fetch_failed" and row.attempts < MAX_PAGE_ATTEMPTS):
            continue
        url = canonical_url(link)
        if url in known or url in batch_urls:
            continue
        batch_urls.add(url)
        new.append((key, link, entry))
    return new


def _entry_key(entry: Entry) -> str:
    """GUID, else link, else a hash of the text (checklist F16), scoped to the feed by the caller."""
    if entry.guid:
        return entry.guid
    if entry.link:
        return entry.link
    return "sha256:" + hashlib.sha256(f"{entry.title}\n{entry.summary}".encode()).hexdigest()


def _ingest_entry(res: Resources, spec: FeedSpec, entry_key: str, link: str, entry: Entry,
                  page: FetchResult | FetchError, counts: _Counts) -> None:
    now = res.clock()
    if isinstance(page, FetchError):
        counts.error(page.reason)
        with transaction(res.sessions) as session:
            queries.record_seen(session, spec.name, entry_key, url=canonical_url(link),
                                outcome="fetch_failed", now=now, error=page.reason)
        return
    text = extract_page(page.body, page.url)
    if text is None:
        counts.error("no text")
        with transaction(res.sessions) as session:
            queries.record_seen(session, spec.name, entry_key, url=canonical_url(page.url),
                                outcome="no_text", now=now, error="no extractable text")
        return
    page_url = text.canonical_url if text.canonical_url and same_site(text.canonical_url, page.url) else page.url
    published_on, date_source = _publication_date(text.published_on, entry.published_at, now)
    article = Article(url=canonical_url(page_url), title=text.title or entry.title, text=text.text,
                      published_on=published_on, date_source=date_source, source=spec.name)
    analysis = _analyse(article, res)
    for attempt in (1, 2):
        try:
            with transaction(res.sessions) as session:
                queries.lock_article_writes(session)
                existing = queries.article_by_url(session, article.url)
                if existing is not None:
                    queries.record_seen(session, spec.name, entry_key, url=article.url, outcome="article",
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


def _publication_date(page_on: date | None, entry_at: datetime | None, now: datetime) -> tuple[date, DateSource]:
    """The page's date, else the feed's, else today; never in the future (checklist F18)."""
    today = now.date()
    if page_on is not None and page_on <= today:
        return page_on, DateSource.PAGE
    if entry_at is not None and entry_at.date() <= today:
        return entry_at.date(), DateSource.FEED
    return today, DateSource.FETCHED


@dataclass(frozen=True)
class _Analysis:
    """Everything read from an article's text before its transaction opens (pure work)."""

    signature: dedup.Signature
    copy_keys: list[tuple[int, int]]
    story_keys: list[tuple[int, int]]
    text_hash: str
    mentions: list[Mention]
    claims: list[Claim]


@dataclass(frozen=True)
class _Stored:
    """What storing one article came to."""

    article_id: int
    duplicate: bool
    mentions: int
    claims: int


def _analyse(article: Article, res: Resources) -> _Analysis:
    settings = dedup.DedupSettings()
    signature = dedup.make_signature(article.text, settings)
    mentions = find_mentions(article.text, res.settings.topics)
    return _Analysis(
        signature=signature,
        copy_keys=dedup.band_keys(signature, settings),
        story_keys=dedup.story_band_keys(dedup.make_story_signature(article.text, settings), settings),
        text_hash=hashlib.sha256(dedup.normalize_text(article.text).encode()).hexdigest(),
        mentions=mentions,
        claims=_read_claims(article, res) if mentions else [],
    )


def _store_article(session: Session, res: Resources, article: Article, analysis: _Analysis, *,
                   is_archive: bool) -> _Stored:
    """Dedup against the index, then store the article with its mentions and claims."""
    settings = dedup.DedupSettings()
    copy_of = _closest(session, article.text, "copy", analysis.copy_keys, settings)
    row = queries.add_article(session, article, text_hash=analysis.text_hash, fetched_at=res.clock(),
                              is_archive=is_archive)
    if copy_of is not None and copy_of[0].decision is dedup.Decision.COPY:
        match = copy_of[1]
        row.duplicate_of_id, row.similarity = match.id, copy_of[0].score
        row.family_id, row.story_id = match.family_id or match.id, match.story_id or match.id
        return _Stored(row.id, duplicate=True, mentions=0, claims=0)
    story_of = _closest(session, article.text, "story", analysis.story_keys, settings)
    row.family_id = row.id
    row.story_id = row.id
    if story_of is not None and story_of[0].decision is not dedup.Decision.DISTINCT:
        row.story_id = story_of[1].story_id or story_of[1].id
    row.signature = dedup.signature_to_bytes(analysis.signature)
    queries.add_band_keys(session, row.id, "copy", analysis.copy_keys)
    queries.add_band_keys(session, row.id, "story", analysis.story_keys)
    queries.add_mentions(session, row.id, analysis.mentions)
    queries.replace_claims(session, row.id, _claim_rows(row.id, analysis.claims))
    row.claims_version = claim_reader.READER_VERSION
    return _Stored(row.id, duplicate=False, mentions=len(analysis.mentions), claims=len(analysis.claims))


def _closest(session: Session, text: str, kind: str, keys: Sequence[tuple[int, int]],
             settings: dedup.DedupSettings) -> tuple[dedup.Verdict, ArticleRow] | None:
    """The strongest verified verdict among the index's candidates (None: no candidate)."""
    rank = {dedup.Decision.DISTINCT: 0, dedup.Decision.SAME_STORY: 1, dedup.Decision.COPY: 2}
    best: tuple[dedup.Verdict, ArticleRow] | None = None
    candidates = queries.candidate_articles(session, kind, keys)[:MAX_CANDIDATES]
    for candidate in queries.articles_by_ids(session, candidates).values():
        verdict = dedup.classify(dedup.compare_texts(text, candidate.text, settings), settings)
        if best is None or (rank[verdict.decision], verdict.score) > (rank[best[0].decision], best[0].score):
            best = (verdict, candidate)
    return best


# --- claims and changes --------------------------------------------------------------------


def _read_claims(article: Article, res: Resources) -> list[Claim]:
    return claim_reader.read_claims(article.text, res.settings.topics, article.published_on,
                                    title=article.title)


def _claim_rows(article_id: int, claims: Iterable[Claim]) -> list[ClaimRow]:
    return [ClaimRow(article_id=article_id, seq=i, topic=c.topic, subject=c.subject, kind=c.kind.value,
                     value=queries.encode_value(c.value), sentence=queries.clean_text(c.text),
                     start=c.start, end=c.end, historical=c.historical,
                     reader_version=claim_reader.READER_VERSION)
            for i, c in enumerate(claims)]


def rebuild_claims(res: Resources) -> tuple[int, int]:
    """Re-read the claims of every stored article, then recompute changes; returns (articles, claims)."""
    articles = claims_total = 0
    with transaction(res.sessions) as session:
        ids = [row.id for row in queries.original_articles(session)]
    for article_id in ids:
        with transaction(res.sessions) as session:
            row = queries.articles_by_ids(session, [article_id])[article_id]
            topics = queries.article_topics(session, [article_id])[article_id]
            claims = _read_claims(_article_of(row), res) if topics else []
            queries.replace_claims(session, article_id, _claim_rows(article_id, claims))
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
                                      article.fetched_at.date(), family_id=article.family_id or article.id))
    return reported


def compute_changes(session: Session, res: Resources) -> list[Change]:
    """Changes over every stored claim (pure rules over the stored claims)."""
    return change_rules.find_changes(reported_claims(session), res.settings.exchange_rates)


def _recompute_changes(session: Session, res: Resources) -> int:
    computed = {}
    for change in compute_changes(session, res):
        key = queries.ChangeKey(change.topic, change.subject, change.kind.value,
                                change.previous.article_id, change.current.article_id)
        computed[key] = (change.direction, change.current.published_on, change_rules.change_json(change))
    return queries.sync_changes(session, computed, res.clock())


# --- feed state -----------------------------------------------------------------------------


def _is_due(row: FeedRow, now: datetime, *, forced: bool) -> bool:
    if forced:
        return True
    if row.disabled_reason:
        return False
    return row.next_poll_at is None or _aware(row.next_poll_at) <= now


def _aware(value: datetime) -> datetime:
    """SQLite returns naive datetimes; everything stored is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _validators(row: FeedRow) -> Validators:
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
        if not result.not_modified:
            row.etag, row.last_modified, row.body_hash = result.etag, result.last_modified, body_hash
        elif result.last_modified:
            row.last_modified = result.last_modified
        row.next_poll_at = now + timedelta(minutes=spec.interval_minutes)


def _record_feed_failure(res: Resources, spec: FeedSpec, reason: str, error: FetchError | None,
                         counts: _Counts) -> None:
    now = res.clock()
    counts.feeds_failed += 1
    counts.error(reason)
    log.warning("feed %s failed: %s", spec.name, reason)
    with transaction(res.sessions) as session:
        row = queries.sync_feeds(session, [spec])[spec.name]
        row.last_fetched_at, row.last_error = now, reason
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


def _report(res: Resources, message: str) -> None:
    if res.progress is not None:
        res.progress(message)


__all__ = ["Resources", "run_pass", "import_archive", "rebuild_claims", "reported_claims",
           "compute_changes", "archive_dir", "read_archive", "utc_now"]
