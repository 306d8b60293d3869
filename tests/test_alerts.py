"""Webhook alerts against a real local HTTP receiver: each change posted once per alert, never the archive's
baseline; retried with the same delivery id across failures and a crash between send and record; signed;
through the address guard and allowed_hosts; filtered by kind and thresholds; listed by `newswatch alerts`."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import alert_job, jobs
from pipeline.config import AlertSettings, FetchSettings
from pipeline.demo import site_files
from pipeline.demo.server import LoopbackSite
from pipeline.fetch import Fetcher
from pipeline.records import FeedSpec
from pipeline.store import alerts as outbox
from pipeline.store.db import transaction
from tests.conftest import FixedClock, MakeResources

SECRET = "s3cret-for-tests"


@dataclass
class Receiver:
    """A webhook receiver on 127.0.0.1: records each POST; answers with the next scripted status (then 200)."""

    url: str
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    script: list[int] = field(default_factory=list)
    delays: list[float] = field(default_factory=list)          # seconds to wait before answering
    on_request: Callable[[], None] | None = None               # called before answering (a SIGKILL)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            state.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
            if state.on_request is not None:
                state.on_request()
            if state.delays:
                time.sleep(state.delays.pop(0))   # the receiver stalls; the client's deadline is what is tested
            status = state.script.pop(0) if state.script else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def demo_site(site_factory: Callable[[dict[str, bytes]], LoopbackSite]) -> LoopbackSite:
    return site_factory(site_files())


def _with_alerts(res: jobs.Resources, *alerts: AlertSettings, fetch: FetchSettings | None = None) -> jobs.Resources:
    settings = replace(res.settings, alerts=alerts, fetch=fetch or res.settings.fetch)
    fetcher = res.fetcher if fetch is None else Fetcher(fetch)
    return replace(res, settings=settings, fetcher=fetcher)


def _alert(url: str, **options: object) -> AlertSettings:
    return replace(AlertSettings(url=url, name="ops"), **options)  # type: ignore[arg-type]


def _no_sleep(_seconds: float) -> None:
    pass


@pytest.fixture(autouse=True)
def no_backoff_sleeps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pass no time in tests: retries within a pass do not wait."""
    monkeypatch.setattr(alert_job, "pause", _no_sleep)


def _deliveries(res: jobs.Resources) -> list[outbox.Delivery]:
    with transaction(res.sessions) as session:
        return outbox.deliveries(session)


def test_a_change_found_by_a_pass_is_posted_once_signed_and_never_the_baseline(
        demo_site: LoopbackSite, make_resources: MakeResources, receiver: Receiver,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NW_TEST_SECRET", SECRET)
    res = _with_alerts(make_resources([FeedSpec("demo", f"{demo_site.base_url}/defence.xml")]),
                       _alert(receiver.url, secret_env="NW_TEST_SECRET"))
    summary = jobs.poll_feeds(res)
    assert summary.changes == 1
    jobs.poll_feeds(res, all_feeds=True)        # nothing new: nothing posted again
    [(headers, body)] = receiver.requests       # the archive's two baseline changes were not posted
    sent = json.loads(body)
    assert (sent["event"], sent["confirmed"]) == ("change", False)
    assert sent["change"]["kind"] == "delivery_schedule" and sent["change"]["direction"] == "later"
    assert sent["change"]["current"]["url"].endswith("/articles/s400-schedule-2028.html")
    assert "-> … to 2028-12-31 (unconfirmed" in sent["summary"]
    assert headers["x-newswatch-delivery"] == sent["delivery"]
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["x-newswatch-signature"], expected)
    [delivery] = _deliveries(res)
    assert (delivery.status, delivery.attempts) == ("sent", 1)


def test_a_failing_receiver_gets_the_same_delivery_id_until_it_accepts(
        demo_site: LoopbackSite, make_resources: MakeResources, receiver: Receiver, clock: FixedClock) -> None:
    res = _with_alerts(make_resources([FeedSpec("demo", f"{demo_site.base_url}/defence.xml")]), _alert(receiver.url))
    receiver.script = [500, 500, 500, 503]
    jobs.poll_feeds(res)                          # three attempts in the pass, all refused
    [pending] = _deliveries(res)
    assert (pending.status, pending.attempts, pending.last_error) == ("pending", 3, "HTTP 500")
    clock.now += timedelta(hours=2)               # past the backoff
    assert alert_job.send_pending(res) == (1, 0)  # 503, then accepted
    ids = {headers["x-newswatch-delivery"] for headers, _ in receiver.requests}
    assert len(receiver.requests) == 5 and ids == {pending.delivery_id}
    assert len({body for _, body in receiver.requests}) == 1      # the same bytes every time


def test_a_crash_between_send_and_record_sends_again_with_the_same_id(
        demo_site: LoopbackSite, make_resources: MakeResources, receiver: Receiver,
        monkeypatch: pytest.MonkeyPatch) -> None:
    res = _with_alerts(make_resources([FeedSpec("demo", f"{demo_site.base_url}/defence.xml")]), _alert(receiver.url))

    def crash(*_args: object) -> None:
        raise KeyboardInterrupt("killed after the POST, before it was marked sent")

    monkeypatch.setattr(outbox, "mark_sent", crash)
    with pytest.raises(KeyboardInterrupt):
        jobs.poll_feeds(res)
    monkeypatch.undo()
    monkeypatch.setattr(alert_job, "pause", _no_sleep)
    assert alert_job.send_pending(res) == (1, 0)
    assert len(receiver.requests) == 2
    assert receiver.requests[0][0]["x-newswatch-delivery"] == receiver.requests[1][0]["x-newswatch-delivery"]


def test_a_refused_connection_is_retried_on_a_later_pass(demo_site: LoopbackSite, make_resources: MakeResources,
                                                        receiver: Receiver, clock: FixedClock) -> None:
    import socket
    with socket.socket() as probe:                # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/hook"
    res = _with_alerts(make_resources([FeedSpec("demo", f"{demo_site.base_url}/defence.xml")]), _alert(closed))
    jobs.poll_feeds(res)
    [pending] = _deliveries(res)
    assert pending.status == "pending" and pending.last_error == "connection failed"
    with transaction(res.sessions) as session:   # the user fixes the URL; the recorded delivery follows it
        session.execute(outbox.AlertDeliveryRow.__table__.update().values(url=receiver.url))
    clock.now += timedelta(hours=2)
    res = _with_alerts(res, _alert(receiver.url))
    assert alert_job.send_pending(res) == (1, 0)
    assert receiver.requests[0][0]["x-newswatch-delivery"] == pending.delivery_id


def test_a_webhook_on_a_private_address_is_refused_unless_allowed(
        demo_site: LoopbackSite, make_resources: MakeResources, receiver: Receiver, clock: FixedClock) -> None:
    res = make_resources([FeedSpec("demo", f"{demo_site.base_url}/defence.xml")])
    jobs.poll_feeds(res)                                   # the pass, with the loopback feed allowed
    known = alert_job.known_changes(_with_alerts(res, _alert(receiver.url)))
    known.clear()                                          # as if the pass's change were new
    guarded = _with_alerts(res, _alert(receiver.url), fetch=FetchSettings(allow_private_addresses=False))
    alert_job.after_pass(guarded, known)
    [refused] = _deliveries(res)
    assert refused.status == "pending" and refused.last_error is not None
    assert refused.last_error.startswith("refused") and "127.0.0.1" in refused.last_error
    listed = _with_alerts(res, _alert(receiver.url), fetch=FetchSettings(allow_private_addresses=True,
                                                                          allowed_hosts=("example.org",)))
    clock.now += timedelta(hours=2)
    alert_job.send_pending(listed)
    assert "allowed_hosts" in (_deliveries(res)[0].last_error or "")
    assert receiver.requests == []                         # nothing ever reached the receiver
    clock.now += timedelta(hours=2)
    allowed = _with_alerts(res, _alert(receiver.url), fetch=FetchSettings(allow_private_addresses=True,
                                                                           allowed_hosts=("127.0.0.1",)))
    assert alert_job.send_pending(allowed) == (1, 0)


@pytest.mark.parametrize(("options", "posted"), [
    ({"kinds": ("deal_value",)}, 0),
    ({"topics": ("summit",)}, 0),
    ({"min_slip_months": 24}, 0),        # 2027-03 -> 2028-12 is 21 months
    ({"min_slip_months": 21}, 1),
    ({"format": "slack"}, 1),
])
def test_alerts_are_filtered_by_topic_kind_and_threshold(demo_site: LoopbackSite, make_resources: MakeResources,
                                                         receiver: Receiver, options: dict[str, object],
                                                         posted: int) -> None:
    res = _with_alerts(make_resources([FeedSpec("demo", f"{demo_site.base_url}/defence.xml")]),
                       _alert(receiver.url, **options))
    jobs.poll_feeds(res)
    assert len(receiver.requests) == posted
    if options.get("format") == "slack":
        text = json.loads(receiver.requests[0][1])["text"]
        assert "later" in text and "2028" in text


def test_updates_post_a_withdrawal_once(demo_site: LoopbackSite, make_resources: MakeResources,
                                        receiver: Receiver) -> None:
    from pipeline import review_job
    from pipeline.records import ReviewAction
    res = _with_alerts(make_resources([FeedSpec("demo", f"{demo_site.base_url}/defence.xml")]),
                       _alert(receiver.url, updates=True))
    jobs.poll_feeds(res)
    [(_, first)] = receiver.requests
    listing = review_job.list_claims(res)
    [claim] = [c.claim_id for c in listing.claims if c.url.endswith("s400-schedule-2028.html")
               and c.claim.kind.value == "delivery_schedule"]
    assert claim is not None
    review_job.review_claim(res, claim, ReviewAction.REJECT, reviewer="alice")
    jobs.poll_feeds(res, all_feeds=True)
    jobs.poll_feeds(res, all_feeds=True)
    assert [json.loads(body)["event"] for _, body in receiver.requests] == ["change", "withdrawn"]


def test_alerts_command_lists_sent_and_pending(tmp_path: Path, receiver: Receiver) -> None:
    with LoopbackSite(site_files()) as site:
        config = tmp_path / "newswatch.toml"
        config.write_text(f"""[database]
url = "sqlite:///{tmp_path / 'nw.db'}"
[fetch]
allow_private_addresses = true
allowed_hosts = ["127.0.0.1"]
[[feeds]]
name = "demo"
url = "{site.base_url}/defence.xml"
[[alerts]]
name = "ops"
url = "{receiver.url}"
[[alerts]]
name = "down"
url = "{receiver.url}"
kinds = ["delivery_schedule"]
""", encoding="utf-8")
        receiver.script = [200, 500, 500, 500]
        runner = CliRunner()
        assert runner.invoke(cli_main(), ["--config", str(config), "run"]).exit_code == 0
    listed = runner.invoke(cli_main(), ["--config", str(config), "alerts"])
    assert listed.exit_code == 0, listed.output
    assert "ops [change]" in listed.output and "SENT" in listed.output
    assert "down [change]" in listed.output and "PENDING" in listed.output and "HTTP 500" in listed.output
    rows = [json.loads(line) for line in runner.invoke(
        cli_main(), ["--config", str(config), "alerts", "--format", "json"]).output.splitlines()]
    assert sorted((r["alert"], r["status"]) for r in rows) == [("down", "pending"), ("ops", "sent")]


def cli_main():  # type: ignore[no-untyped-def]
    from pipeline.cli import cli
    return cli


def test_alert_config_is_checked(tmp_path: Path) -> None:
    from pipeline.config import parse_settings
    from pipeline.errors import ConfigError
    with pytest.raises(ConfigError, match="format"):
        parse_settings({"alerts": [{"url": "https://hooks.example/x", "format": "xml"}]}, "t.toml", tmp_path)
    with pytest.raises(ConfigError, match="url"):
        parse_settings({"alerts": [{"url": "file:///etc/passwd"}]}, "t.toml", tmp_path)
    with pytest.raises(ConfigError, match="unknown key"):
        parse_settings({"alerts": [{"url": "https://hooks.example/x", "colour": "red"}]}, "t.toml", tmp_path)
    [alert] = parse_settings({"alerts": [{"url": "https://hooks.example/x"}]}, "t.toml", tmp_path).alerts
    assert alert.name == "https://hooks.example/x" and alert.format == "json"


def test_a_receiver_that_times_out_gets_the_same_delivery_again(
        demo_site: LoopbackSite, make_resources: MakeResources, receiver: Receiver, clock: FixedClock) -> None:
    # A deadline the loopback pages meet even on a busy machine, and a receiver slower than it.
    res = make_resources([FeedSpec("demo", f"{demo_site.base_url}/defence.xml")], timeout_s=1.0)
    res = _with_alerts(res, _alert(receiver.url))
    receiver.delays = [3.0, 3.0, 3.0]           # slower than the 1 s deadline, three times
    jobs.poll_feeds(res)
    [pending] = _deliveries(res)
    assert (pending.status, pending.last_error) == ("pending", "timeout")
    clock.now += timedelta(hours=2)
    assert alert_job.send_pending(res) == (1, 0)
    assert {headers["x-newswatch-delivery"] for headers, _ in receiver.requests} == {pending.delivery_id}


def test_sigkill_between_the_post_and_its_record_posts_again_with_the_same_id(
        tmp_path: Path, receiver: Receiver) -> None:
    import os
    import signal
    import subprocess
    import sys
    with LoopbackSite(site_files()) as site:
        config = tmp_path / "newswatch.toml"
        config.write_text(f"""[database]
url = "sqlite:///{tmp_path / 'nw.db'}"
[fetch]
allow_private_addresses = true
allowed_hosts = ["127.0.0.1"]
[[feeds]]
name = "demo"
url = "{site.base_url}/defence.xml"
[[alerts]]
url = "{receiver.url}"
""", encoding="utf-8")
        env = {**os.environ, "NEWSWATCH_CONFIG": str(config)}
        run = subprocess.Popen([sys.executable, "-m", "pipeline", "run"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
        receiver.on_request = lambda: os.kill(run.pid, signal.SIGKILL)   # killed while the POST is answered
        run.communicate(timeout=120)
        assert run.returncode == -signal.SIGKILL
        receiver.on_request = None
        again = subprocess.run([sys.executable, "-m", "pipeline", "alerts", "--send"], env=env,
                               capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert "SENT" in again.stdout
    assert len(receiver.requests) == 2
    assert receiver.requests[0][0]["x-newswatch-delivery"] == receiver.requests[1][0]["x-newswatch-delivery"]


def test_updates_post_a_confirmation_once(demo_site: LoopbackSite, make_resources: MakeResources,
                                          receiver: Receiver) -> None:
    from tests.test_jobs import _by, _store_reading
    res = _with_alerts(make_resources([FeedSpec("demo", f"{demo_site.base_url}/defence.xml")]),
                       _alert(receiver.url, updates=True))
    jobs.poll_feeds(res)
    known = alert_job.known_changes(res)
    # A second, independent outlet reports the same slip: the alerted change is confirmed.
    _store_reading(res, "https://paper.example/slip", "2026-03-11", "paper", _by(2028, "last"))
    jobs.recompute_changes(res)
    alert_job.after_pass(res, known)
    alert_job.after_pass(res, known)
    events = [json.loads(body) for _, body in receiver.requests]
    assert [(e["event"], e["confirmed"]) for e in events] == [("change", False), ("confirmed", True)]
    assert events[0]["delivery"] != events[1]["delivery"]
