"""``asyncify.review.summary``: every reason a finding is left lands in a useful group."""

from __future__ import annotations

import pytest

from asyncify.review.summary import LATER_PASS, NOT_WRITTEN, REJECTED, UNSAFE, reason_class


@pytest.mark.parametrize(
    ("reason", "group"),
    [
        ("receiver type is only guessed from the method name (use --unsafe-fixes)", UNSAFE),
        ("thread-affine object (e.g. a sqlite3 connection) must stay on its thread (use --unsafe-fixes)", UNSAFE),
        (
            "await is not allowed here (generator expression, default argument, decorator or class body)",
            "unsupported context (await not allowed there)",
        ),
        ("in a lambda", "unsupported context (await not allowed there)"),
        ("in an annotation", "unsupported context (await not allowed there)"),
        ("result does not compile: SyntaxError: x (line 3)", "did not compile"),
        ("no automatic fix for csv.reader (see `asyncify explain AFY105`)", "no automatic fix"),
        ("strategy 'sleep' does not apply to AFY102 (applies: wrap)", "chosen strategy does not apply"),
        ("overlaps another edit", "overlaps another change"),
        ("handle `f` is returned", "the codemod cannot rewrite it"),
        (f"{NOT_WRITTEN}: changed on disk since it was read", NOT_WRITTEN),
        (REJECTED, REJECTED),
        (LATER_PASS, LATER_PASS),
    ],
)
def test_reason_classes(reason: str, group: str) -> None:
    assert reason_class(reason) == group
