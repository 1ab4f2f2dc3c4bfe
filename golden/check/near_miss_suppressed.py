"""Near misses: blocking calls suppressed on their line. Nothing is reported.

`# asyncify: ignore` silences every code on the line, `# asyncify: ignore[CODE]` the
named codes, and `# noqa: ASYNCxxx` the flake8-async/ruff code a rule matches.
"""

import json
import os
import subprocess
import time
from pathlib import Path

import requests


async def suppressed(path: Path, url: str) -> None:
    time.sleep(1)  # asyncify: ignore
    time.sleep(2)  # asyncify: ignore[AFY110]
    time.sleep(3)  # noqa: ASYNC251
    time.sleep(4)  # asyncify:ignore[afy110]
    open(path)  # noqa: ASYNC230
    with open(path) as handle:  # asyncify: ignore[AFY101]
        handle.read()  # noqa: ASYNC232
    # both codes on a line, in one list
    json.load(open(path))  # asyncify: ignore[AFY107, AFY101]
    # a bare noqa silences everything on its line
    path.read_text()  # noqa
    os.path.exists(path)  # noqa: ASYNC240
    subprocess.run(["true"])  # noqa: ASYNC221
    requests.get(url)  # noqa: ASYNC210
    input("?")  # noqa: ASYNC250


async def multi_line(path: Path) -> None:
    # a suppression on the last line of a call spanning lines
    path.write_text(
        "data",
        encoding="utf-8",
    )  # asyncify: ignore[AFY102]
