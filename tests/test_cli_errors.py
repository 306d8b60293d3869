"""The command line as a new user meets it: one line naming the fix, the documented exit codes, no traceback."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pipeline import cli as cli_module
from pipeline.cli import cli

ISO_LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (INFO|WARNING|ERROR|DEBUG) \S+: ")


def _config(tmp_path: Path, body: str = "") -> Path:
    path = tmp_path / "newswatch.toml"
    path.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "nw.db"}"\n' + body, encoding="utf-8")
    return path


def _one_line_error(result: Result, code: int) -> str:
    """The failure is `code`, said in one line on stderr, with no traceback."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("command", [["report", "--output"], ["digest", "--output"]])
def test_output_into_a_missing_folder_is_a_usage_error_naming_the_folder(tmp_path: Path,
                                                                         command: list[str]) -> None:
    path = _config(tmp_path)
    target = tmp_path / "no-such-folder" / "out.txt"
    result = CliRunner().invoke(cli, ["--config", str(path), "init"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["--config", str(path), *command, str(target)])
    line = _one_line_error(result, 2)
    assert str(target.parent) in line and "does not exist" in line
    assert not target.parent.exists()


@pytest.mark.parametrize(("make", "says"), [(lambda p: p / "missing.txt", "no such file"),
                                            (lambda p: p, "is a folder")], ids=["missing", "folder"])
def test_claims_extract_on_a_missing_file_or_a_folder_is_a_usage_error(tmp_path: Path, make: object,
                                                                       says: str) -> None:
    source = make(tmp_path)  # type: ignore[operator]
    for args in (["claims", "extract", str(source)], ["claims", "extract", "--jsonl", str(source)]):
        line = _one_line_error(CliRunner().invoke(cli, args), 2)
        assert str(source) in line and says in line


def test_demo_keep_on_an_unusable_path_is_a_usage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    line = _one_line_error(CliRunner().invoke(cli, ["demo", "--keep", str(blocker / "demo")]), 2)
    assert "--keep" in line and "writ" in line


@pytest.mark.parametrize(("url", "says"), [("not-a-url", "is not a database URL"),
                                           ("mysql://user:secret@db.example/news", "needs a driver")])
def test_a_bad_database_url_is_a_config_error_without_its_password(tmp_path: Path, url: str, says: str) -> None:
    path = _config(tmp_path)
    result = CliRunner().invoke(cli, ["--config", str(path), "run"], env={"NEWSWATCH_DATABASE_URL": url})
    line = _one_line_error(result, 2)
    assert says in line and "NEWSWATCH_DATABASE_URL" in line
    assert "secret" not in result.output


@pytest.mark.parametrize("command", [["feeds"], ["report"], ["claims", "list"]], ids=" ".join)
def test_a_read_only_command_on_a_missing_database_says_how_to_make_one(tmp_path: Path,
                                                                          command: list[str]) -> None:
    path = _config(tmp_path)
    line = _one_line_error(CliRunner().invoke(cli, ["--config", str(path), *command]), 1)
    assert f"no database at {tmp_path / 'nw.db'}" in line and "newswatch init" in line
    assert not (tmp_path / "nw.db").exists()


def test_run_says_when_it_creates_the_database(tmp_path: Path) -> None:
    path = _config(tmp_path)
    first = CliRunner().invoke(cli, ["--config", str(path), "run"])
    second = CliRunner().invoke(cli, ["--config", str(path), "run"])
    assert first.exit_code == 0, first.output
    assert f"created a new database at {tmp_path / 'nw.db'}" in first.stderr
    assert "created" not in second.stderr


def test_verbose_is_accepted_after_the_command_name(tmp_path: Path) -> None:
    path = _config(tmp_path)
    assert CliRunner().invoke(cli, ["--config", str(path), "init"]).exit_code == 0
    result = CliRunner().invoke(cli, ["--config", str(path), "feeds", "-v"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["claims", "extract", "-vv", "--log-format", "json", "-"], input="")
    assert result.exit_code == 0, result.output


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert re.fullmatch(r"newswatch \d+\.\d+\.\d+\S*\n", result.output)


def test_ctrl_c_exits_130_without_a_traceback(monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted(_value: str) -> object:
        raise KeyboardInterrupt
    monkeypatch.setattr(cli_module, "parse_partial_date", interrupted)
    monkeypatch.setattr(sys, "argv", ["newswatch", "claims", "extract", "--published", "2025", "-"])
    with pytest.raises(SystemExit) as exit_info:
        cli_module.main()
    assert exit_info.value.code == 130
    err = capsys.readouterr().err
    assert "interrupted" in err and "Traceback" not in err and "Aborted" not in err


def test_main_keeps_click_exit_codes(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    for argv, code in ((["--help"], 0), (["--no-such-option"], 2), (["claims", "extract", "/no/such/file"], 2)):
        monkeypatch.setattr(sys, "argv", ["newswatch", *argv])
        with pytest.raises(SystemExit) as exit_info:
            cli_module.main()
        assert exit_info.value.code == code, argv
    assert "Traceback" not in capsys.readouterr().err


def _run_logged(tmp_path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    path = _config(tmp_path, f'[[feeds]]\nname = "gone"\nurl = "{tmp_path / "missing.xml"}"\n')
    return subprocess.run([sys.executable, "-m", "pipeline", "--config", str(path), "run", *options],
                          capture_output=True, text=True, timeout=120, check=False)


def test_log_lines_and_the_summary_line_carry_iso_timestamps(tmp_path: Path) -> None:
    result = _run_logged(tmp_path, "-v")
    assert result.returncode == 1, result.stderr
    logs = [line for line in result.stderr.splitlines() if line and not line.startswith("newswatch: ")]
    assert logs and all(ISO_LOG_LINE.match(line) for line in logs), result.stderr
    assert any("feed gone failed" in line for line in logs)
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z feeds: 0 ok, 1 failed", result.stdout)


def test_log_format_json_writes_one_object_per_line(tmp_path: Path) -> None:
    result = _run_logged(tmp_path, "--log-format", "json")
    entries = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    others = [line for line in result.stderr.splitlines() if line and not line.startswith("{")]
    assert others == [f"newswatch: created a new database at {tmp_path / 'nw.db'}"]
    failed = [e for e in entries if "feed gone failed" in e["message"]]
    assert failed and failed[0]["level"] == "WARNING" and failed[0]["logger"] == "pipeline.jobs"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", failed[0]["time"])


def test_extraction_workers_leave_ctrl_c_to_the_pass() -> None:
    import signal

    from pipeline import prepare
    before = signal.getsignal(signal.SIGINT)
    try:
        prepare._exit_with_parent()   # the worker initializer (in this, the main process, it watches nothing)
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)


def test_claims_list_names_an_unknown_topic(tmp_path: Path) -> None:
    path = _config(tmp_path)
    line = _one_line_error(CliRunner().invoke(cli, ["--config", str(path), "claims", "list", "--topic", "nosuch"]), 2)
    assert "no topic 'nosuch'" in line and "s400" in line
