"""Suppression comments: ``# asyncify: ignore[CODE]`` and flake8/ruff ``# noqa: ASYNCxxx``.

Comments are found with one regular expression over the text instead of tokenising the
file: a ``#`` inside a string literal could in theory look like a suppression, which
costs at most a missed finding on a line that spells one out, while tokenising would
double the scan time.
"""

from __future__ import annotations

import re

ALL: None = None
"""A line suppressed for every code (``# asyncify: ignore``, bare ``# noqa``)."""

_PATTERN = re.compile(
    r"#\s*(?:asyncify:\s*ignore(?:\[(?P<codes>[^\]]*)\])?|noqa\b(?::\s*(?P<noqa>[A-Za-z]+\d+(?:[\s,]+[A-Za-z]+\d+)*))?)",
    re.IGNORECASE,
)


_LINE_BREAK = re.compile(r"\r\n?|\n")
"""Line breaks as Python counts them: ``\\n``, ``\\r\\n`` and a lone ``\\r``."""


def parse_suppressions(text: str) -> dict[int, frozenset[str] | None]:
    """Map line number -> suppressed codes (``None`` for all codes on that line)."""
    if "asyncify" not in text and "noqa" not in text and "NOQA" not in text:
        return {}
    found: dict[int, frozenset[str] | None] = {}
    line, position = 1, 0
    for match in _PATTERN.finditer(text):
        line += len(_LINE_BREAK.findall(text, position, match.start()))
        position = match.start()
        raw = match.group("codes") if match.group("codes") is not None else match.group("noqa")
        codes = None if raw is None else frozenset(c.upper() for c in re.split(r"[\s,]+", raw.strip()) if c)
        if line in found:
            previous = found[line]
            codes = None if previous is None or codes is None else previous | codes
        found[line] = codes
    return found


def is_suppressed(
    suppressions: dict[int, frozenset[str] | None], lines: tuple[int, ...], codes: tuple[str, ...]
) -> bool:
    """True when any of ``lines`` carries a comment that names one of ``codes`` (or all)."""
    for line in lines:
        if line in suppressions:
            named = suppressions[line]
            if named is None or any(code in named for code in codes):
                return True
    return False
