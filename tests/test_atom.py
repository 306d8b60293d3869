"""`report --format atom`: an Atom feed of changes that feed readers parse, with ids stable across
renders and `claims rebuild`, entries saying what shifted from what to what, with both sentences."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
from click.testing import CliRunner

from pipeline import jobs, report
from pipeline.atom import render_atom
from pipeline.cli import cli
from pipeline.store.db import transaction
from tests.conftest import FixedClock, MakeResources


def _atom(res: jobs.Resources) -> str:
    with transaction(res.sessions) as session:
        return render_atom(jobs.load_report(session, None, res.clock()))


def _parse(document: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(document.encode("utf-8"))   # bytes only (checklist 1)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def test_each_change_is_one_entry_saying_what_shifted_with_both_sentences(make_resources: MakeResources) -> None:
    res = make_resources([])
    jobs.import_archive(res)
    with transaction(res.sessions) as session:
        changes = jobs.load_report(session, None, res.clock()).changes
    parsed = _parse(_atom(res))
    assert len(parsed.entries) == len(changes) == 2
    value = next(e for e in parsed.entries if "deal value" in e.title)
    assert "higher, INR 400,000,000 -> USD 5,500,000,000" in value.title
    assert "(confirmed)" in value.title
    body = value.content[0].value
    assert "400 million rupees" in body and "$5.5 billion agreement" in body
    assert "archive:000_450f0c4fd5e356a1.txt" in body and "archive:004_17e5108e386aa86e.txt" in body
    assert "confirmed, 3 sources" in body


def test_entry_ids_are_the_same_across_renders_and_a_rebuild(make_resources: MakeResources,
                                                            clock: FixedClock) -> None:
    res = make_resources([])
    jobs.import_archive(res)
    first = [e.id for e in _parse(_atom(res)).entries]
    clock.now += timedelta(days=3)
    again = [e.id for e in _parse(_atom(res)).entries]
    jobs.rebuild_claims(res)
    rebuilt = [e.id for e in _parse(_atom(res)).entries]
    assert first == again == rebuilt
    assert len(set(first)) == len(first) == 2
    assert all(i.startswith("urn:uuid:") for i in first)


def test_control_characters_from_pages_never_break_the_document() -> None:
    side = {"value": {"count": 3}, "text": "three \x1b[31m\x00units", "url": "javascript:alert(1)",
            "published": "2026-01-02"}
    change = {"topic": "s400", "subject": "s", "kind": "units_delivered", "milestone": None,
              "previous": side, "current": {**side, "value": {"count": 4}, "url": "https://paper.example/a"},
              "direction": "higher", "confirmed": False, "sources": ["https://paper.example/a"], "disputed_by": []}
    data = report.ReportData(generated_at=datetime(2026, 1, 3, tzinfo=UTC), since=None, changes=[change],
                             articles=[])
    [entry] = _parse(render_atom(data)).entries
    assert entry.link == "https://paper.example/a"
    assert "\x00" not in entry.content[0].value


def test_report_format_atom_writes_a_feed_file(tmp_path: Path) -> None:
    config = tmp_path / "newswatch.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "nw.db"}"\n', encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["--config", str(config), "init"]).exit_code == 0
    out = tmp_path / "changes.atom"
    result = runner.invoke(cli, ["--config", str(config), "report", "--format", "atom", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert len(_parse(out.read_text(encoding="utf-8")).entries) == 2
