"""Suppressions that name a different code do not silence the finding.

Golden detection file: each expected finding is marked at the end of its line.
"""

import json
import time
from pathlib import Path


async def wrong_codes(path: Path) -> None:
    # the ignore names another asyncify code
    time.sleep(1)  # asyncify: ignore[AFY101]  # error: AFY110
    # a flake8-async code of another rule (ASYNC230 is open, not sleep)
    time.sleep(2)  # noqa: ASYNC230  # error: AFY110
    # ASYNC251 is sleep, not open
    open(path)  # noqa: ASYNC251  # error: AFY101
    # an unrelated noqa code
    path.read_text()  # noqa: E501  # error: AFY102
    # only one of two findings on the line is suppressed
    json.load(open(path))  # asyncify: ignore[AFY101]  # error: AFY107
    json.load(open(path))  # noqa: ASYNC230  # error: AFY107


async def other_line(path: Path) -> None:
    # a suppression applies to its own line only
    # asyncify: ignore
    time.sleep(1)  # error: AFY110
    path.unlink()  # error: AFY102
