"""The daily digest end to end: real pass, real database, real SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from pipeline import digest, digest_job, jobs
from pipeline.config import DigestSettings
from pipeline.demo import site_files
from pipeline.demo.server import LoopbackSite
from pipeline.errors import AlreadyRunningError, MailError
from pipeline.records import Article, DateSource, FeedSpec, Mention
from pipeline.store import queries
from pipeline.store.db import transaction
from pipeline.store.models import DigestRow
from tests.conftest import FixedClock, MakeResources
from tests.smtp import RecordingHandler, raw_server, recording_server

TODAY = date(2026, 3, 13)
RECIPIENTS = ("analyst@example.org", "desk@example.org")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def with_digest(res: jobs.Resources, port: int, **options: object) -> jobs.Resources:
    values: dict[str, object] = {"to": RECIPIENTS, "from_": "newswatch@example.org", "smtp_host": "127.0.0.1",
                                 "smtp_port": port, "timeout_s": 2.0}
    values.update(options)
    return replace(res, settings=replace(res.settings, digest=DigestSettings(**values)))  # type: ignore[arg-type]


@pytest.fixture
def polled(make_resources: MakeResources, site_factory: Callable[[dict[str, bytes]], LoopbackSite]) -> jobs.Resources:
    """The demo feeds polled once: 3 new articles (2 mention a topic), one change against the archive."""
    site = site_factory(site_files())
    res = make_resources([FeedSpec("demo", f"{site.base_url}/defence.xml")])
    jobs.poll_feeds(res)
    return res


def _row(res: jobs.Resources, on: date) -> DigestRow | None:
    with transaction(res.sessions) as session:
        return session.scalar(select(DigestRow).where(DigestRow.digest_on == on))


def test_the_digest_arrives_once_with_both_parts(polled: jobs.Resources) -> None:
    with recording_server() as (handler, port):
        res = with_digest(polled, port)
        first = digest_job.send_digest(res, TODAY)
        second = digest_job.send_digest(res, TODAY)
    assert (first.status, second.status) == ("sent", "already_sent")
    assert len(handler.received) == 1
    got = handler.received[0]
    assert got.mail_from == "newswatch@example.org"
    assert got.rcpt_tos == list(RECIPIENTS)
    msg = got.message
    assert msg["Subject"] == "newswatch digest 2026-03-13: 1 change, 3 new articles"
    assert msg.get_content_type() == "multipart/alternative"
    text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    for part in (text, html):
        assert "expected to arrive by 2028" in part                       # the new sentence
        assert "further deliveries planned by 2026-27" in part            # the previous one
        assert "Last two S-400 squadrons slip to 2028, officials say" in part
        assert "Modi and Putin review ties ahead of the annual summit" in part
    assert text.index("CHANGES") < text.index("NEW ARTICLES") < text.index("FEED HEALTH")
    assert "2028-12-31" in text and "later (unconfirmed, 1 source)" in text
    assert text.index("CHANGES") < text.index("WHERE EACH SUBJECT STANDS") < text.index("NEW ARTICLES")
    row = _row(res, TODAY)
    assert row is not None and row.status == "sent" and row.message_id == msg["Message-ID"]


def test_the_next_digest_covers_only_what_came_after(polled: jobs.Resources, clock: FixedClock) -> None:
    with recording_server() as (handler, port):
        res = with_digest(polled, port)
        digest_job.send_digest(res, TODAY)
        clock.now += timedelta(days=1)
        quiet = digest_job.send_digest(res, TODAY + timedelta(days=1))
        noted = digest_job.send_digest(with_digest(polled, port, send_empty=True), TODAY + timedelta(days=2))
    assert quiet.status == "empty"
    assert noted.status == "sent"
    assert [r.message["Subject"] for r in handler.received] == [
        "newswatch digest 2026-03-13: 1 change, 3 new articles", "newswatch digest 2026-03-15: nothing new"]
    assert "Nothing new" in handler.received[1].message.get_body(("plain",)).get_content()  # type: ignore[union-attr]


@pytest.mark.parametrize("failure", ["550", "421", "timeout", "hangup", "refused"])
def test_a_failed_send_marks_nothing_sent_and_the_next_run_sends(polled: jobs.Resources, failure: str) -> None:
    if failure in ("550", "421"):
        reply = "550 5.7.1 message rejected" if failure == "550" else "421 4.3.2 try again later"
        with recording_server(RecordingHandler(reply=reply)) as (_, port), pytest.raises(MailError) as error:
            digest_job.send_digest(with_digest(polled, port), TODAY)
        assert failure in str(error.value)
        assert error.value.temporary is (failure == "421")
    elif failure == "refused":
        with raw_server("silent") as port:
            pass  # closed again: nothing listens on this port any more
        with pytest.raises(MailError, match="cannot reach the SMTP server"):
            digest_job.send_digest(with_digest(polled, port), TODAY)
    else:
        started = datetime.now(UTC)
        with raw_server("silent" if failure == "timeout" else "hangup") as port, pytest.raises(MailError) as error:
            digest_job.send_digest(with_digest(polled, port, timeout_s=0.5), TODAY)
        assert datetime.now(UTC) - started < timedelta(seconds=5)
        assert ("no answer" if failure == "timeout" else "closed the connection") in str(error.value)
    failed = _row(polled, TODAY)
    assert failed is not None and failed.status == "pending" and failed.sent_at is None and failed.last_error
    with recording_server() as (handler, port):
        outcome = digest_job.send_digest(with_digest(polled, port), TODAY)
    assert outcome.status == "sent" and len(handler.received) == 1
    # the retry is the same message: a copy after a crash can be recognised by its Message-ID
    assert handler.received[0].message["Message-ID"] == failed.message_id


def test_force_sends_again(polled: jobs.Resources) -> None:
    with recording_server() as (handler, port):
        res = with_digest(polled, port)
        digest_job.send_digest(res, TODAY)
        again = digest_job.send_digest(res, TODAY, force=True)
    assert again.status == "sent" and len(handler.received) == 2
    assert handler.received[0].message["Message-ID"] != handler.received[1].message["Message-ID"]


def test_two_concurrent_sends_send_one_email(polled: jobs.Resources) -> None:
    gate = threading.Event()
    handler = RecordingHandler(gate=gate)
    outcomes: list[str] = []
    with recording_server(handler) as (_, port):
        res = with_digest(polled, port)
        first = threading.Thread(target=lambda: outcomes.append(digest_job.send_digest(res, TODAY).status))
        first.start()
        assert handler.in_data.wait(10)               # the first sender is mid-DATA, holding the lock
        with pytest.raises(AlreadyRunningError, match="in progress"):
            digest_job.send_digest(res, TODAY)
        gate.set()
        first.join(10)
        outcomes.append(digest_job.send_digest(res, TODAY).status)
    assert outcomes == ["sent", "already_sent"]
    assert len(handler.received) == 1


def _store_article(res: jobs.Resources, url: str, title: str, topic: str = "s400") -> None:
    with transaction(res.sessions) as session:
        article_id = queries.add_article(session, Article(url=url, title=title, text=f"{title} text about the S-400.",
                                                          published_on=TODAY, date_source=DateSource.PAGE,
                                                          source="hostile"),
                                         {"text_hash": str(abs(hash(url))), "fetched_at": res.clock()})
        queries.add_mentions(session, article_id, [Mention(topic, "S-400", title, 0, 5)])


@pytest.mark.parametrize("title", [
    "Deal done\r\nBcc: attacker@evil.example",
    "=?UTF-8?Q?=0A?=Bcc: attacker@evil.example",
    "S-400 \u2028Bcc: attacker@evil.example",
])
def test_article_text_cannot_inject_headers_or_recipients(make_resources: MakeResources, title: str) -> None:
    res = make_resources([])
    _store_article(res, "https://news.example/a", title)
    _store_article(res, "javascript:alert(1)", "<script>alert(1)</script><img src=x onerror=alert(2)>")
    with recording_server() as (handler, port):
        digest_job.send_digest(with_digest(res, port), TODAY)
    got = handler.received[0]
    assert got.rcpt_tos == list(RECIPIENTS)
    msg = got.message
    assert msg["Bcc"] is None and "attacker" not in str(msg.keys())
    header_block = got.data.split(b"\r\n\r\n", 1)[0].decode()
    assert "attacker" not in header_block
    assert sorted(set(msg.keys())) == sorted({"Subject", "From", "To", "Date", "Message-ID", "Auto-Submitted",
                                              "MIME-Version", "Content-Type"})
    html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "<script>" not in html and "onerror=alert" not in html.replace("onerror=alert(2)&gt;", "")
    assert "&lt;script&gt;" in html
    assert 'href="javascript:' not in html


def test_long_digests_are_capped_with_a_count_of_the_rest() -> None:
    articles = tuple(digest.DigestArticle(url=f"https://news.example/{i}", title=f"Story {i}", published_on=TODAY,
                                          topics=("s400",), story_id=i, source="feed") for i in range(1050))
    data = digest.DigestInput(digest_on=TODAY, window_start=None, window_end=datetime(2026, 3, 13, 7, tzinfo=UTC),
                              timezone="UTC", articles=articles)
    built = digest.build_digest(data)
    assert built.subject == "newswatch digest 2026-03-13: 0 changes, 1050 new articles"
    assert "+850 more article(s)" in built.text and "+850 more article(s)" in built.html
    assert built.text.count("https://news.example/") == digest.MAX_ARTICLES


def test_digest_times_are_in_the_configured_timezone() -> None:
    data = digest.DigestInput(digest_on=TODAY, window_start=datetime(2026, 3, 12, 1, 30, tzinfo=UTC),
                              window_end=datetime(2026, 3, 13, 1, 30, tzinfo=UTC), timezone="Asia/Kolkata")
    assert "2026-03-12 07:00 to 2026-03-13 07:00 (Asia/Kolkata)" in digest.build_digest(data).text


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed (.ci/run installs the `chromium` package)")
def test_the_html_digest_renders_in_a_real_browser(polled: jobs.Resources, tmp_path: Path) -> None:
    page = tmp_path / "digest.html"
    page.write_text(digest_job.render_digest(polled, TODAY).html, encoding="utf-8")
    flags = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--no-first-run", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
             "--hide-scrollbars", "--window-size=760,1100"]
    png = tmp_path / "digest.png"
    shot = subprocess.run([*flags, f"--screenshot={png}", page.as_uri()], capture_output=True, timeout=60)
    dom = subprocess.run([*flags, "--dump-dom", page.as_uri()], capture_output=True, timeout=60, text=True)
    assert shot.returncode == 0 and dom.returncode == 0, shot.stderr[-2000:]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    width, height = int.from_bytes(png.read_bytes()[16:20], "big"), int.from_bytes(png.read_bytes()[20:24], "big")
    assert (width, height) == (760, 1100)
    # The browser's DOM after parsing: every section there, in order, links only http(s).
    positions = [dom.stdout.index(f'id="{section}"') for section in ("digest-title", "changes", "articles",
                                                                     "feed-health")]
    assert positions == sorted(positions)
    assert dom.stdout.count('class="change"') == 1 and dom.stdout.count('class="story"') == 2
    assert all(href.startswith("http") for href in re.findall(r'href="([^"]*)"', dom.stdout))


def test_the_digest_command_prints_writes_sends_and_fails_with_1(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pipeline.cli import cli
    from tests.smtp import free_port

    def config(port: int) -> Path:
        path = tmp_path / "nw.toml"
        path.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "nw.db"}"\n'
                        f'[digest]\nto = ["analyst@example.org"]\nfrom = "newswatch@example.org"\n'
                        f'smtp_host = "127.0.0.1"\nsmtp_port = {port}\ntimeout_s = 2\nsend_empty = true\n',
                        encoding="utf-8")
        return path

    runner = CliRunner()
    down = config(free_port())
    printed = runner.invoke(cli, ["--config", str(down), "digest", "--date", "2026-03-13"])
    assert printed.exit_code == 0 and printed.stdout.startswith("newswatch digest 2026-03-13: nothing new")
    written = runner.invoke(cli, ["--config", str(down), "digest", "--output", str(tmp_path / "d.html")])
    assert written.exit_code == 0 and 'id="digest-title"' in (tmp_path / "d.html").read_text(encoding="utf-8")
    failed = runner.invoke(cli, ["--config", str(down), "digest", "--send", "--date", "2026-03-13"])
    assert failed.exit_code == 1 and "cannot reach the SMTP server" in failed.output
    with recording_server() as (handler, port):
        up = config(port)
        sent = runner.invoke(cli, ["--config", str(up), "digest", "--send", "--date", "2026-03-13"])
        again = runner.invoke(cli, ["--config", str(up), "digest", "--send", "--date", "2026-03-13"])
        forced = runner.invoke(cli, ["digest", "--send", "--force", "--date", "2026-03-13", "--config", str(up)])
    assert sent.exit_code == 0 and "sent to analyst@example.org" in sent.output
    assert again.exit_code == 0 and "already sent" in again.output
    assert forced.exit_code == 0 and len(handler.received) == 2
    bad = runner.invoke(cli, ["--config", str(up), "digest", "--force"])
    assert bad.exit_code == 2


def test_each_article_keeps_its_own_headline_under_its_story() -> None:
    older = digest.DigestArticle(url="https://wire.example/a", title="Russia in talks on more S-400 units",
                                 published_on=date(2026, 3, 10), topics=("s400",), story_id=7, source="wire")
    newer = digest.DigestArticle(url="https://paper.example/b", title="Deal for two more S-400 squadrons close",
                                 published_on=TODAY, topics=("s400",), story_id=7, source="paper")
    data = digest.DigestInput(digest_on=TODAY, window_start=None, window_end=datetime(2026, 3, 13, 7, tzinfo=UTC),
                              timezone="UTC", articles=(older, newer))
    built = digest.build_digest(data)
    assert "NEW ARTICLES (2 in 1 story)" in built.text
    story = built.text[built.text.index("NEW ARTICLES"):]
    assert story.index("Russia in talks") < story.index("https://wire.example/a") \
        < story.index("Deal for two more S-400 squadrons close") < story.index("https://paper.example/b")
    assert "Deal for two more S-400 squadrons close" in built.html
