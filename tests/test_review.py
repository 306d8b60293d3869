"""Claims under review: stable claim ids, `claims list` for programs, and reviews that change what counts
as a change (reject, pin), kept across `claims rebuild` (every backend)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

from pipeline import digest_job, jobs, review_job
from pipeline.atom import render_atom
from pipeline.cli import cli
from pipeline.records import ReviewAction
from pipeline.store.db import transaction
from tests.conftest import MakeResources
from tests.test_jobs import _by, _report, _store_reading

RUPEES = "400 million rupees"


def _claim_id(res: jobs.Resources, needle: str, kind: str | None = None, url: str | None = None) -> int:
    listing = review_job.list_claims(res)
    [found] = [c.claim_id for c in listing.claims if needle in c.claim.text
               and (kind is None or c.claim.kind.value == kind) and (url is None or c.url == url)]
    assert found is not None
    return found


def _changes(res: jobs.Resources) -> list[dict[str, object]]:
    return _report(res)["changes"]  # type: ignore[return-value]


def test_claim_ids_survive_a_rebuild(make_resources: MakeResources) -> None:
    res = make_resources([])
    jobs.import_archive(res)
    before = {(c.url, c.claim.start, c.claim.kind, c.claim.value): c.claim_id
              for c in review_job.list_claims(res).claims}
    jobs.rebuild_claims(res)
    after = {(c.url, c.claim.start, c.claim.kind, c.claim.value): c.claim_id
             for c in review_job.list_claims(res).claims}
    assert before == after and len(before) > 5


def test_rejecting_the_claim_behind_a_change_removes_it_and_clearing_brings_it_back(
        make_resources: MakeResources) -> None:
    res = make_resources([])
    jobs.import_archive(res)
    assert any(RUPEES in c["previous"]["text"] for c in _changes(res))  # type: ignore[index, operator]
    rupees = _claim_id(res, RUPEES, "deal_value")
    assert review_job.review_claim(res, rupees, ReviewAction.REJECT, reviewer="alice", note="misread")
    changes = _changes(res)
    assert not any("deal_value" == c["kind"] for c in changes)
    assert digest_job.load_digest(res, res.clock().date()).changes == ()   # nor in the next digest
    with transaction(res.sessions) as session:
        entries = feedparser.parse(render_atom(jobs.load_report(session, None, res.clock())).encode()).entries
    assert not any("deal value" in e.title for e in entries)                # nor in Atom
    # The consensus no longer counts it either.
    [value] = [s for s in _report(res)["subjects"] if s["kind"] == "deal_value"]  # type: ignore[attr-defined]
    assert "archive:000_450f0c4fd5e356a1.txt" not in json.dumps(value)
    assert review_job.review_claim(res, rupees, None, reviewer="alice")
    assert any(c["kind"] == "deal_value" for c in _changes(res))


def test_rejecting_the_claim_that_hid_a_change_reveals_it(make_resources: MakeResources) -> None:
    res = make_resources([])
    jobs.import_archive(res)
    # 004's "2026 and 2027" made the change; 001 a day later said the same, so no change of its own.
    schedule = [c for c in _changes(res) if c["kind"] == "delivery_schedule"]
    assert [c["current"]["url"] for c in schedule] == ["archive:004_17e5108e386aa86e.txt"]  # type: ignore[index]
    hider = _claim_id(res, "2026 and 2027", "delivery_schedule", url="archive:004_17e5108e386aa86e.txt")
    review_job.review_claim(res, hider, ReviewAction.REJECT, reviewer="alice")
    schedule = [c for c in _changes(res) if c["kind"] == "delivery_schedule"]
    assert [c["current"]["url"] for c in schedule] == ["archive:001_533bc7422a99475d.txt"]  # type: ignore[index]


def test_a_pinned_value_is_current_and_confirmed_and_not_outnumbered(make_resources: MakeResources) -> None:
    res = make_resources([])
    _store_reading(res, "https://a.example/1", "2025-01-01", "a", _by(2026))
    _store_reading(res, "https://b.example/2", "2025-02-01", "b", _by(2027))
    _store_reading(res, "https://c.example/3", "2025-03-01", "c", _by(2026))
    _store_reading(res, "https://d.example/4", "2025-04-01", "d", _by(2026))
    jobs.recompute_changes(res)
    assert _changes(res) == []                       # the lone 2027 was outnumbered: withdrawn
    pinned = _claim_id(res, "b.example/2")
    review_job.review_claim(res, pinned, ReviewAction.PIN, reviewer="alice")
    [change] = _changes(res)
    assert (change["current"]["url"], change["confirmed"]) == ("https://b.example/2", True)  # type: ignore[index]
    assert change["disputed_by"] == ["https://c.example/3", "https://d.example/4"]
    assert "pinned by alice" in str(change["review"])
    [subject] = _report(res)["subjects"]  # type: ignore[misc]
    assert subject["value"]["latest"] == "2027-12-31"
    # Later readings are judged against it by the rules: a value no one reported is a change.
    _store_reading(res, "https://e.example/5", "2025-05-01", "e", _by(2028))
    jobs.recompute_changes(res)
    assert [c["current"]["url"] for c in _changes(res)] == [  # type: ignore[index]
        "https://b.example/2", "https://e.example/5"]


def test_reviews_survive_a_rebuild(make_resources: MakeResources) -> None:
    res = make_resources([])
    jobs.import_archive(res)
    rupees = _claim_id(res, RUPEES, "deal_value")
    review_job.review_claim(res, rupees, ReviewAction.REJECT, reviewer="alice")
    jobs.rebuild_claims(res)
    listing = review_job.list_claims(res)
    assert listing.reviews[rupees].action is ReviewAction.REJECT
    assert not any(c["kind"] == "deal_value" for c in _changes(res))


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "newswatch.toml"
    path.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "nw.db"}"\n', encoding="utf-8")
    assert CliRunner().invoke(cli, ["--config", str(path), "init"]).exit_code == 0
    return path


def test_cli_lists_claims_as_json_and_csv_and_reviews_them(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    listed = runner.invoke(cli, ["--config", str(config), "claims", "list", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    rows = [json.loads(line) for line in listed.output.splitlines()]
    assert {"topic", "subject", "kind", "value", "text", "start", "end", "id", "url", "source", "published",
            "review"} <= set(rows[0])
    [rupees] = [r for r in rows if RUPEES in r["text"] and r["kind"] == "deal_value"]
    assert (rupees["source"], rupees["review"]) == ("archive", None)
    monkeypatch.setenv("USER", "alice")
    done = runner.invoke(cli, ["--config", str(config), "claims", "review", str(rupees["id"]), "--reject",
                               "--note", "a local price, not the deal"])
    assert done.exit_code == 0, done.output
    assert "rejected by alice" in done.output
    table = runner.invoke(cli, ["--config", str(config), "claims", "list", "--format", "csv"])
    parsed = list(csv.DictReader(io.StringIO(table.output)))
    assert len(parsed) == len(rows)
    [row] = [r for r in parsed if r["id"] == str(rupees["id"])]
    assert (row["review"], row["reviewed_by"], row["currency"]) == ("reject", "alice", "INR")
    text = runner.invoke(cli, ["--config", str(config), "claims", "list"]).output
    assert f"#{rupees['id']} " in text and "rejected by alice" in text
    as_json = json.loads(runner.invoke(cli, ["--config", str(config), "report", "--format", "json"]).output)
    assert not any(c["kind"] == "deal_value" for c in as_json["changes"])


def test_report_marks_reviewed_changes_and_unreviewed_leaves_them_out(config: Path) -> None:
    runner = CliRunner()
    rows = [json.loads(line) for line in runner.invoke(
        cli, ["--config", str(config), "claims", "list", "--format", "json"]).output.splitlines()]
    [checked] = [r for r in rows if "2026 and 2027" in r["text"] and r["url"].startswith("archive:004")]
    assert runner.invoke(cli, ["--config", str(config), "claims", "review", str(checked["id"]),
                               "--confirm"]).exit_code == 0
    md = runner.invoke(cli, ["--config", str(config), "report"]).output
    assert "reviewed: current claim" in md and "confirmed by" in md
    unreviewed = json.loads(runner.invoke(cli, ["--config", str(config), "report", "--format", "json",
                                                "--unreviewed"]).output)
    assert [c["kind"] for c in unreviewed["changes"]] == ["deal_value"]


def test_review_of_an_unknown_claim_or_without_an_action_fails_clearly(config: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(cli, ["--config", str(config), "claims", "review", "999999", "--pin"])
    assert missing.exit_code == 1 and "no claim with id 999999" in missing.output
    bare = runner.invoke(cli, ["--config", str(config), "claims", "review", "1"])
    assert bare.exit_code == 2
