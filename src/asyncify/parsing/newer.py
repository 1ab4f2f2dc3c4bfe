"""Syntax newer than any grammar asyncify reads: name the construct and its version.

A file that fails to parse even after lowering is genuinely invalid for Python 3.14;
when the failing line uses a construct a later Python accepts, the error says so
instead of a bare "invalid syntax".
"""

from __future__ import annotations

import re

_BY_LINE = (
    (re.compile(r"^[ \t\f]*(?:.*[;:][ \t\f]*)?lazy[ \t\f]+(?:import|from)[ \t\f]"), "`lazy import`", "3.15", "PEP 810"),
)
_BY_MESSAGE = (
    ("unpacking cannot be used in", "unpacking in a comprehension", "3.15", "PEP 798"),
)


def newer_syntax(message: str, line: str) -> str | None:
    """``"`lazy import` needs Python 3.15 (PEP 810)"`` when ``line`` or ``message`` shows one."""
    for pattern, what, version, pep in _BY_LINE:
        if pattern.search(line):
            return f"{what} needs Python {version} ({pep})"
    for fragment, what, version, pep in _BY_MESSAGE:
        if fragment in message:
            return f"{what} needs Python {version} ({pep})"
    return None
