"""Near misses: code under `if TYPE_CHECKING:` never runs. Nothing is reported."""

from __future__ import annotations

import typing
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import time
    from pathlib import Path

    # type-checker-only code at module level
    EXAMPLE = Path("x").read_text()


async def guarded(path: Path) -> None:
    if TYPE_CHECKING:
        # inside an async function, the block is still never executed
        time.sleep(1)
        reveal = path.read_text()
        open(path)


async def qualified_guard(path: Path) -> None:
    if typing.TYPE_CHECKING:
        path.unlink()
        input("never")
