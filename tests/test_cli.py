"""The command line, run for real: help, config errors, run --json, feeds, demo."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.demo import site_files
from pipeline.demo.server import LoopbackSite

PROJECT = Path(__file__).resolve().parents[1]


def _commands() -> list[list[str]]:
    found: list[list[str]] = []
    for name, command in cli.commands.items():  # type: ignore[attr-defined]
        found.append([name])
        for sub in getattr(command, "commands", {}):
            found.append([name, sub])
    return found


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c))
def test_every_command_has_help_and_is_in_the_readme(command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert f"newswatch {' '.join(command)}" in readme


def _config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "newswatch.toml"
    path.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "nw.db"}"\n' + body, encoding="utf-8")
    return path


def test_a_bad_config_exits_2_naming_file_and_key(tmp_path: Path) -> None:
    path = _config(tmp_path, "[fetch]\ntimeout_s = 'soon'\n")
    result = CliRunner().invoke(cli, ["--config", str(path), "run"])
    assert result.exit_code == 2
    assert str(path) in result.output and "timeout_s" in result.output


def test_run_json_against_a_local_feed_then_feeds(tmp_path: Path) -> None:
    with LoopbackSite(site_files()) as site:
        path = _config(tmp_path, f"""
[fetch]
allow_private_addresses = true
allowed_hosts = ["127.0.0.1"]
[[feeds]]
name = "demo"
url = "{site.base_url}/defence.xml"
""")
        runner = CliRunner()
        # --config accepted after the command too
        first = runner.invoke(cli, ["run", "--json", "--config", str(path)])
        second = runner.invoke(cli, ["--config", str(path), "run", "--json", "--all"])
        feeds = runner.invoke(cli, ["--config", str(path), "feeds"])
    assert first.exit_code == 0, first.output
    summary = json.loads(first.output.strip().splitlines()[-1])
    assert {k: summary[k] for k in ("feeds_ok", "feeds_failed", "entries", "new_articles", "duplicates",
                                    "mentions")} == {"feeds_ok": 1, "feeds_failed": 0, "entries": 5,
                                                     "new_articles": 3, "duplicates": 1, "mentions": 2}
    assert {"claims", "changes"} <= set(summary)
    again = json.loads(second.output.strip().splitlines()[-1])
    assert (again["new_articles"], again["duplicates"], again["mentions"]) == (0, 0, 0)
    assert feeds.exit_code == 0
    assert "demo" in feeds.output and "status: 304" in feeds.output


def test_run_exits_1_when_every_feed_failed(tmp_path: Path) -> None:
    path = _config(tmp_path, f'[[feeds]]\nname = "gone"\nurl = "{tmp_path / "missing.xml"}"\n')
    result = CliRunner().invoke(cli, ["--config", str(path), "run"])
    assert result.exit_code == 1
    assert "1 failed" in result.output


def test_private_addresses_are_refused_by_default(tmp_path: Path) -> None:
    with LoopbackSite(site_files()) as site:
        path = _config(tmp_path, f'[[feeds]]\nname = "local"\nurl = "{site.base_url}/defence.xml"\n')
        result = CliRunner().invoke(cli, ["--config", str(path), "run", "--json"])
        requests = list(site.requests)
    assert result.exit_code == 1
    assert requests == []
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert summary["feeds_failed"] == 1
    assert any("private" in reason or "loopback" in reason for reason in summary["errors"])


def test_init_imports_the_archive_once(tmp_path: Path) -> None:
    path = _config(tmp_path, "")
    first = CliRunner().invoke(cli, ["--config", str(path), "init"])
    second = CliRunner().invoke(cli, ["--config", str(path), "init"])
    assert first.exit_code == 0 and "5 article(s) imported" in first.output
    assert second.exit_code == 0 and "0 article(s) imported" in second.output


def test_demo_prints_its_findings() -> None:
    result = subprocess.run([sys.executable, "-m", "pipeline", "demo"], capture_output=True, text=True,
                            timeout=300, cwd="/", check=False)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "archive: 5 seed articles imported" in out
    assert re.search(r"feeds: 1 ok, 1 failed.*new articles: 3; duplicates: 1; mentions: 2", out)
    assert "not a feed" in out
    assert "# newswatch change report" in out
    assert "Last two S-400 squadrons slip to 2028" in out


def test_the_demo_reads_well_to_a_newcomer() -> None:
    result = subprocess.run([sys.executable, "-m", "pipeline", "demo"], capture_output=True, text=True,
                            timeout=300, cwd="/", check=False)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "WARNING" not in result.stderr                       # the failing feed is deliberate, and said so
    assert "demo-moved fails on purpose" in out
    run_changes = int(re.search(r"; changes: (\d+)", out).group(1))  # type: ignore[union-attr]
    listed = int(re.search(r"## Changes \((\d+)\)", out).group(1))  # type: ignore[union-attr]
    assert f"changes: {run_changes} is what this pass found; the report below lists all {listed}" in out
    assert "\\" not in out and "**" not in out and "<http" not in out  # plain text, no Markdown escapes
    articles = out[out.index("## Articles"):]
    assert not re.search(r"(^- |: )\d{3}_[0-9a-f]{16}\b", articles, re.M)   # no file name as a headline
    assert "India and Russia discuss more S-400 regiments" in articles
    assert out.rstrip().splitlines()[-3] == "Next:"
    assert "newswatch report --format html --output" in out


def test_feeds_as_json_for_programs(tmp_path: Path) -> None:
    with LoopbackSite(site_files()) as site:
        path = _config(tmp_path, f"""
[fetch]
allow_private_addresses = true
allowed_hosts = ["127.0.0.1"]
[[feeds]]
name = "demo"
url = "{site.base_url}/defence.xml"
[[feeds]]
name = "moved"
url = "{site.base_url}/broken.html"
""")
        CliRunner().invoke(cli, ["--config", str(path), "run"])
        result = CliRunner().invoke(cli, ["--config", str(path), "feeds", "--format", "json"])
    assert result.exit_code == 0, result.output
    feeds = {f["name"]: f for f in map(json.loads, result.stdout.splitlines())}
    assert (feeds["demo"]["state"], feeds["demo"]["last_status"], feeds["demo"]["consecutive_errors"]) == ("ok", 200, 0)
    assert feeds["moved"]["state"] == "failing" and "not a feed" in feeds["moved"]["last_error"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", feeds["demo"]["last_fetched_at"])


# Libraries no command needs before it knows what to do: scipy (through
# datasketch's package import), numpy, the claim reader's CLDR tables, the
# database and HTTP stacks.
HEAVY_MODULES = ("scipy", "numpy", "datasketch", "babel", "trafilatura", "sqlalchemy", "httpx",
                 "pipeline.claims", "pipeline.changes", "pipeline.dedup", "pipeline.jobs")


def _loaded_after(code: str) -> list[str]:
    """The heavy modules a fresh interpreter holds after running `code`."""
    probe = f"import sys\n{code}\nprint('loaded:', *(m for m in {HEAVY_MODULES!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=PROJECT,
                            check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-1].split()[1:]


def test_importing_the_cli_loads_no_heavy_library() -> None:
    assert _loaded_after("import pipeline.cli") == []


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["run", "--help"]], ids=" ".join)
def test_help_and_version_load_no_heavy_library(args: list[str]) -> None:
    code = ("from pipeline.cli import main\n"
            f"sys.argv = ['newswatch', *{args!r}]\n"
            "try:\n    main()\nexcept SystemExit as exc:\n    assert exc.code == 0, exc.code")
    assert _loaded_after(code) == []


@pytest.mark.parametrize(("lock", "command"), [("run", ["run"]), ("digest", ["digest", "--send"]),
                                              ("serve", ["serve"])], ids=["run", "digest --send", "serve"])
def test_a_job_that_finds_another_in_progress_exits_75_before_loading_the_stages(tmp_path: Path, lock: str,
                                                                                 command: list[str]) -> None:
    from pipeline import locks
    from pipeline.store.db import make_engine

    url = f"sqlite:///{tmp_path / 'nw.db'}"
    config = _config(tmp_path, '[[feeds]]\nname = "f"\nurl = "http://127.0.0.1:9/f.xml"\n'
                               '[digest]\nto = ["a@example.org"]\n')
    code = ("from pipeline.cli import main\n"
            f"sys.argv = ['newswatch', '--config', {str(config)!r}, *{command!r}]\n"
            "try:\n    main()\nexcept SystemExit as exc:\n    assert exc.code == 75, exc.code")
    engine = make_engine(url)
    try:
        with locks.hold(engine, lock):
            loaded = _loaded_after(code)
    finally:
        engine.dispose()
    assert "sqlalchemy" in loaded              # the lock needs the engine, and nothing more
    assert [m for m in loaded if m != "sqlalchemy"] == []
