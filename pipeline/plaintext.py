"""Untrusted text made safe to print: no control characters (checklist X15).

Titles, sentences and errors come from feeds and pages. One set of
characters is never printed, whatever the output (terminal, Markdown, HTML,
mail headers and bodies): C0 and C1 controls, DEL, and the Unicode line and
paragraph separators, which terminals and mail clients break lines on.
"""

from __future__ import annotations

import re

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def strip_controls(text: str) -> str:
    """Each control character replaced by a space (an ANSI escape loses its ESC and is inert)."""
    return CONTROL_CHARACTERS.sub(" ", text)


def one_line(text: str) -> str:
    """One line: control characters gone and runs of white space made one space."""
    return " ".join(strip_controls(text).split())
