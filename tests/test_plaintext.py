"""One rule for untrusted text in every output (pipeline/plaintext.py): no control characters."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipeline import digest, mail, report
from pipeline.plaintext import one_line, strip_controls

HOSTILE = "S-400\x1b[31m red\x07\r\nInjected: yes\x85next\u2028line\u2029end\x7f"


def test_every_control_character_becomes_a_space() -> None:
    assert strip_controls(HOSTILE) == "S-400 [31m red   Injected: yes next line end "


def test_one_line_collapses_the_spaces() -> None:
    assert one_line(HOSTILE) == "S-400 [31m red Injected: yes next line end"


@pytest.mark.parametrize("render", [digest.plain, mail.header_text, report.md_escape],
                         ids=["digest", "mail header", "report markdown"])
def test_every_output_drops_the_same_characters(render: Callable[[str], str]) -> None:
    rendered = render(HOSTILE)
    assert not any(ch in rendered for ch in "\x1b\x07\r\n\x85\u2028\u2029\x7f")
