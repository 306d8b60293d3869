"""`newswatch claims ...` and `newswatch report`, run for real on a seeded database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli, parse_partial_date

SENTENCE = ("India signed the Rs 40,000 crore deal for five S-400 squadrons in 2018, "
            "and the last two are now due by 2026-27.")


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "newswatch.toml"
    path.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "nw.db"}"\n', encoding="utf-8")
    return path


@pytest.fixture
def initialised(config: Path) -> Path:
    """The config of a database made by `init` (read-only commands create none)."""
    result = CliRunner().invoke(cli, ["--config", str(config), "init"])
    assert result.exit_code == 0, result.output
    return config


def test_extract_reads_claims_from_standard_input(config: Path) -> None:
    result = CliRunner().invoke(cli, ["--config", str(config), "claims", "extract", "--published", "2025-12"],
                                input=SENTENCE)
    assert result.exit_code == 0, result.output
    claims = [json.loads(line) for line in result.output.splitlines()]
    by_kind = {c["kind"]: c for c in claims}
    assert by_kind["deal_value"]["value"] == {"amount": 400_000_000_000, "currency": "INR"}
    assert by_kind["delivery_schedule"]["value"]["latest"] == "2027-03-31"
    assert by_kind["units_ordered"]["value"] == {"count": 5}
    assert all(c["topic"] == "s400" and c["subject"] == "s400-2018-contract" for c in claims)
    assert all(SENTENCE[c["start"]:c["end"]] == c["text"] for c in claims)


def test_extract_batch_keeps_ids_and_reports_bad_lines(config: Path, tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join([
        json.dumps({"id": "a", "text": SENTENCE, "published": "2025"}),
        "{not json",
        json.dumps({"id": "c", "text": "Rafale jets cost $9 billion and arrive in 2029."}),
        json.dumps({"id": "d", "text": "The remaining S-400 units are expected within 12 months.",
                    "published": "2024-07-08"}),
    ]), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(config), "claims", "extract", "--jsonl", str(batch)])
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert {line["id"] for line in lines} == {"a", "d"}          # nothing from the Rafale distractor
    (schedule,) = [line for line in lines if line["id"] == "d"]
    assert schedule["value"]["latest"].startswith("2025-07")
    assert "batch.jsonl:2" in result.stderr


@pytest.mark.parametrize(("text", "expected"), [
    ("2025", "2025-07-01"), ("2025-03", "2025-03-15"), ("2025-03-09", "2025-03-09")])
def test_partial_dates_are_read_at_their_middle(text: str, expected: str) -> None:
    assert parse_partial_date(text).isoformat() == expected


def test_list_and_rebuild_on_the_archive(initialised: Path) -> None:
    runner = CliRunner()
    listed = runner.invoke(cli, ["--config", str(initialised), "claims", "list", "--topic", "s400"])
    rebuilt = runner.invoke(cli, ["--config", str(initialised), "claims", "rebuild"])
    listed_again = runner.invoke(cli, ["--config", str(initialised), "claims", "list", "--topic", "s400"])
    assert listed.exit_code == 0 and rebuilt.exit_code == 0
    assert "400 million rupees" in listed.output
    assert listed.output.index("2024-07-08") < listed.output.index("2025-12-05")
    assert "re-read 5 article(s)" in rebuilt.output and "2 change(s)" in rebuilt.output
    assert listed_again.output == listed.output                    # a rebuild reads the same claims


def test_report_json_gives_the_seed_changes_and_each_story_once(initialised: Path) -> None:
    result = CliRunner().invoke(cli, ["--config", str(initialised), "report", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"generated_at", "since", "changes", "subjects", "articles"}
    assert [(c["kind"], c["direction"], c["current"]["published"][:7]) for c in data["changes"]] == [
        ("deal_value", "higher", "2025-09"), ("delivery_schedule", "later", "2025-09")]
    stories = {a["url"]: a["story"] for a in data["articles"]}
    assert stories["archive:001_533bc7422a99475d.txt"] == stories["archive:004_17e5108e386aa86e.txt"]
    assert len(set(stories.values())) == len(stories) - 1


def test_report_since_filters_changes(initialised: Path) -> None:
    result = CliRunner().invoke(cli, ["--config", str(initialised), "report", "--format", "json",
                                      "--since", "2025-10-01"])
    assert json.loads(result.output)["changes"] == []


def test_report_html_embeds_the_chart_and_escapes(initialised: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["--config", str(initialised), "report", "--format", "html", "--output", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert '<img alt="Reported values over time, per source"' in html
    assert "data:image/png;base64,iVBOR" in html
    assert "Changes (2)" in html
