"""Strict mode: an internal error raises instead of becoming a refusal or a file error.

For users, a bug in a codemod, the structural transform or the scanner must not stop
the run: the edit is refused, or the file reported, with "internal error: ..." and
everything else goes on. In the test suite that same safety net would hide bugs (a
golden ``refusals.txt`` could record an internal error as the expected reason), so the
suite turns strict mode on (``tests/conftest.py``) and the exception fails the test.

The switch is the environment variable ``ASYNCIFY_STRICT=1``, so that scan worker
processes and the command lines that tests start inherit it. Only the places that
turn unexpected exceptions into results read it; expected failures (a file that does
not parse, a result that does not compile) are results in both modes.
"""

from __future__ import annotations

import os

ENVIRONMENT_VARIABLE = "ASYNCIFY_STRICT"


def strict_mode() -> bool:
    """Whether internal errors should propagate (set ``ASYNCIFY_STRICT=1``)."""
    return os.environ.get(ENVIRONMENT_VARIABLE) == "1"
