"""Config loading: defaults, validation errors that name file and key, overrides."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.config import load_settings, resolve_database_url
from pipeline.errors import ConfigError
from pipeline.records import ClaimKind


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "newswatch.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_an_empty_file_gives_the_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSWATCH_DATABASE_URL", raising=False)
    settings = load_settings(_write(tmp_path, ""))
    assert settings.database.url == "sqlite:///data/newswatch.db"
    assert settings.fetch.allow_private_addresses is False
    assert settings.feeds == ()
    assert {t.id for t in settings.topics} == {"s400", "summit"}


@pytest.mark.parametrize(("text", "expected"), [
    ("[fetch]\ntimeout = 3\n", "[fetch] 'timeout'"),
    ("[fetch]\ntimeout_s = 'fast'\n", "[fetch] timeout_s: must be a number"),
    ("[fetch]\nallow_private_addresses = 1\n", "allow_private_addresses: must be true or false"),
    ("[databse]\nurl = 'x'\n", "unknown key 'databse'"),
    ("[[feeds]]\nname = 'a'\n", "feeds[0].url"),
    ("[[feeds]]\nname = 'a'\nurl = 'ftp://x/y'\n", "only http(s) URLs"),
    ("[[feeds]]\nname = 'a'\nurl = 'http://x/'\ncolour = 1\n", "unknown key 'colour'"),
    ("[[topics]]\nid = 'x'\nterms = []\n", "topics[0].terms"),
    ("[[topics]]\nid = 'x'\nterms = ['X']\ntrack = ['price']\n", "topics[0].track: unknown kind"),
    ("[[topics]]\nid = 'x'\nterms = ['X']\n[[topics.subjects]]\nid = 's'\ncue = ['a']\n", "unknown key 'cue'"),
    ("not toml = = 1", "not valid TOML"),
])
def test_bad_config_names_the_file_and_key(tmp_path: Path, text: str, expected: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert path in str(caught.value)
    assert expected in str(caught.value)


def test_configured_topics_add_to_and_replace_the_builtin_ones(tmp_path: Path) -> None:
    settings = load_settings(_write(tmp_path, """
[[topics]]
id = "rafale-m"
name = "Rafale Marine deal"
terms = ["Rafale Marine", "Rafale-M"]
[[topics.subjects]]
id = "rafale-m-26"
cues = ["26 Rafale"]
default = true

[[topics]]
id = "summit"
terms = ["summit"]
track = []
"""))
    topics = {t.id: t for t in settings.topics}
    assert set(topics) == {"s400", "summit", "rafale-m"}
    assert topics["rafale-m"].track == tuple(ClaimKind)
    assert topics["rafale-m"].subjects[0].default
    assert topics["summit"].terms == ("summit",)


def test_environment_overrides_the_database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSWATCH_DATABASE_URL", "sqlite:////tmp/elsewhere.db")
    assert load_settings(_write(tmp_path, "[database]\nurl = 'sqlite:///a.db'\n")).database.url == \
        "sqlite:////tmp/elsewhere.db"


def test_a_relative_sqlite_path_is_read_against_the_project(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSWATCH_DATABASE_URL", raising=False)
    (tmp_path / "config").mkdir()
    path = tmp_path / "config" / "newswatch.toml"
    path.write_text("", encoding="utf-8")
    assert resolve_database_url(load_settings(str(path))) == f"sqlite:///{tmp_path / 'data' / 'newswatch.db'}"


def test_a_missing_explicit_config_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(str(tmp_path / "absent.toml"))


def test_the_shipped_config_is_valid() -> None:
    settings = load_settings(str(Path(__file__).resolve().parents[1] / "config" / "newswatch.toml"))
    assert len(settings.feeds) >= 5
    assert all(f.url.startswith("https://") for f in settings.feeds)


def test_a_relative_feed_path_is_read_against_the_project(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    path = tmp_path / "config" / "newswatch.toml"
    path.write_text('[[feeds]]\nname = "local"\nurl = "feeds/local.xml"\n', encoding="utf-8")
    (feed,) = load_settings(str(path)).feeds
    assert feed.url == str(tmp_path / "feeds" / "local.xml")


def test_dedup_thresholds_are_settings_but_signature_parameters_are_not(tmp_path: Path) -> None:
    settings = load_settings(_write(tmp_path, "[dedup]\ncopy_containment = 0.85\nmin_words = 30\n"))
    assert (settings.dedup.copy_containment, settings.dedup.min_words) == (0.85, 30)
    assert settings.dedup.num_perm == 126
    with pytest.raises(ConfigError, match="'num_perm' cannot be changed"):
        load_settings(_write(tmp_path, "[dedup]\nnum_perm = 64\n"))
    with pytest.raises(ConfigError, match="copy_containment must be between 0 and 1"):
        load_settings(_write(tmp_path, "[dedup]\ncopy_containment = 1.5\n"))


def test_settings_import_no_stage() -> None:
    """Settings sit at the ground: loading them in a fresh interpreter loads no stage and no numeric library."""
    heavy = ("pipeline.claims", "pipeline.changes", "pipeline.dedup", "pipeline.topics", "numpy", "scipy",
             "currency_converter", "sqlalchemy")
    probe = ("import sys; from pipeline.config import load_settings; load_settings(None); "
             f"print(' '.join(m for m in {heavy!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parent.parent, timeout=60)
    assert result.stdout.split() == []
