"""Fetched page -> article with everything read from it: the CPU-heavy, pure part of a pass.

    PageJob --prepare_page--> extract (trafilatura) -> date -> analyse:
                              signature and band keys, mentions, claims -> PreparedPage

Nothing here touches the database or the network, and every record is
picklable, so `PagePreparer` can run `prepare_page` in worker processes.
Workers import this module and what it needs only: no SQLAlchemy, httpx or
feedparser (the forkserver starts in half the time `pipeline.jobs` takes).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime

from pipeline import claims as claim_reader
from pipeline import dedup
from pipeline.config import ProcessingSettings
from pipeline.extract import extract_page
from pipeline.mentions import find_mentions
from pipeline.records import Article, Claim, DateSource, Mention, Topic
from pipeline.urls import canonical_url, same_site

log = logging.getLogger(__name__)

NO_TEXT = "no text"


@dataclass(frozen=True)
class Analysis:
    """Everything read from an article's text before its transaction opens (pure work)."""

    signature: dedup.Signature
    copy_keys: list[tuple[int, int]]
    story_keys: list[tuple[int, int]]
    text_hash: str
    mentions: list[Mention]
    claims: list[Claim]


def analyse(article: Article, topics: Sequence[Topic]) -> Analysis:
    settings = dedup.DedupSettings()  # signatures use the fixed shingling and banding, never config
    normalized = dedup.normalize_text(article.text)
    signature = dedup.signature_of_normalized(normalized, settings)
    mentions = find_mentions(article.text, topics, article.title)
    return Analysis(
        signature=signature,
        copy_keys=dedup.band_keys(signature, settings),
        # Stories are shown for articles on a tracked topic only: others need no story keys.
        story_keys=dedup.story_band_keys(dedup.make_story_signature(article.text, settings), settings)
        if mentions else [],
        text_hash=dedup.text_hash(normalized),
        mentions=mentions,
        claims=read_article_claims(article, topics) if mentions else [],   # one matcher: no mention, no claim
    )


@dataclass(frozen=True)
class PageJob:
    """A fetched page to extract and read: picklable, so it can go to a worker process."""

    body: bytes
    url: str
    entry_title: str
    entry_published_at: datetime | None
    source: str
    now: datetime
    topics: tuple[Topic, ...]


@dataclass(frozen=True)
class PreparedPage:
    """An extracted article with everything read from it, ready to store."""

    article: Article
    analysis: Analysis


def prepare_page(job: PageJob) -> PreparedPage | str:
    """Extract, date and read one page; a string says why there is no article."""
    try:
        text = extract_page(job.body, job.url)
        if text is None:
            return NO_TEXT
        page_url = text.canonical_url if text.canonical_url and same_site(text.canonical_url, job.url) \
            else job.url
        published_on, date_source = publication_date(text.published_on, job.entry_published_at, job.now)
        # The feed's time orders one day's articles (spec: same day, time, then URL), when it is that day's.
        at = job.entry_published_at
        article = Article(url=canonical_url(page_url), title=text.title or job.entry_title, text=text.text,
                          published_on=published_on, date_source=date_source, source=job.source,
                          published_at=at if at is not None and at.date() == published_on else None)
        return PreparedPage(article=article, analysis=analyse(article, job.topics))
    except Exception as exc:  # one page's failure is that page's (checklist H9)
        log.exception("preparing %s failed", job.url)
        return f"internal error: {type(exc).__name__}: {exc}"


class PagePreparer:
    """Runs `prepare_page` in worker processes when a feed brings enough pages.

    Extraction is nearly all of a page's CPU; the database stays in this
    process, so workers need nothing but the page, and this process stores
    one page while the workers extract the next ones. The pool starts once
    per pass, on first need.
    """

    def __init__(self, settings: ProcessingSettings) -> None:
        self._processes = settings.processes or (os.cpu_count() or 1)
        self._threshold = settings.min_pages_for_processes
        self._pool: ProcessPoolExecutor | None = None

    def wants_workers(self, pages: int) -> bool:
        """True when `pages` new pages are worth sending to worker processes.

        The first time it says so, the forkserver starts in the background
        (it imports the pipeline once, ~1 s), while the pages download.
        """
        wanted = self._processes > 1 and pages >= self._threshold
        if wanted and self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self._processes, mp_context=_worker_context(),
                                             initializer=_exit_with_parent)
            threading.Thread(target=_start_forkserver, name="forkserver-start", daemon=True).start()
        return wanted

    def submit(self, job: PageJob, *, in_workers: bool) -> Future[PreparedPage | str]:
        """Prepare one page, in a worker process or (done at once) here."""
        if not in_workers:
            done: Future[PreparedPage | str] = Future()
            done.set_result(prepare_page(job))
            return done
        if self._pool is None:
            self.wants_workers(self._threshold)
        assert self._pool is not None
        return self._pool.submit(prepare_page, job)

    def map(self, jobs: Sequence[PageJob]) -> list[PreparedPage | str]:
        """Prepare pages, in order."""
        in_workers = self.wants_workers(len(jobs))
        return [future.result() for future in [self.submit(job, in_workers=in_workers) for job in jobs]]

    def __enter__(self) -> PagePreparer:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)


def _worker_context() -> multiprocessing.context.BaseContext:
    """A forkserver (or spawn) context: workers inherit nothing from this process.

    A plain fork would hand every worker this process's open files and
    sockets: the `run` lock's flock descriptor and PostgreSQL connections
    (advisory lock included) would outlive a killed pass in its workers, and a
    worker exiting could close a connection the parent still uses. The
    forkserver imports the pipeline once; each worker is forked from it.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pipeline.prepare"])
    return context


def _start_forkserver() -> None:
    """Start the forkserver now (a later submit waits for it instead of starting it)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        from multiprocessing import forkserver
        forkserver.ensure_running()


def _exit_with_parent() -> None:
    """Worker start-up: end this worker once the pass that started it is gone.

    A SIGKILLed pass (cron timeout, OOM killer) never shuts its pool down, and
    an idle worker would wait on its queue forever (tests/test_crash.py). The
    worker's `parent_process()` is that pass (not the forkserver), and its
    sentinel becomes ready when the pass exits; then the forkserver, whose
    last clients were the pass and its workers, exits too.

    Ctrl-C reaches every process of the terminal's group: a worker ignores it
    (the pass decides, and exits 130), rather than printing a traceback of its own.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()
        os._exit(1)
    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def publication_date(page_on: date | None, entry_at: datetime | None, now: datetime) -> tuple[date, DateSource]:
    """The page's date, else the feed's, else today; never in the future (checklist F18)."""
    today = now.date()
    if page_on is not None and page_on <= today:
        return page_on, DateSource.PAGE
    if entry_at is not None and entry_at.date() <= today:
        return entry_at.date(), DateSource.FEED
    return today, DateSource.FETCHED


def read_article_claims(article: Article, topics: Sequence[Topic]) -> list[Claim]:
    return claim_reader.read_claims(article.text, topics, article.published_on, title=article.title)
