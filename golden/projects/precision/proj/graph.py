import asyncio
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

_POOL = ThreadPoolExecutor(2)


def walk(path: str, depth: int) -> list[str]:
    if depth == 0:
        return os.listdir(path)
    return visit(path, depth - 1)


def visit(path: str, depth: int) -> list[str]:
    return walk(path, depth)


def count(n: int) -> int:
    return 0 if n == 0 else count(n - 1) + 1


def normalise(input_path: Path | None = None, strict: bool = False) -> str:
    if input_path is not None:
        return str(input_path.resolve())
    return "<none>"


def normalise_early(input_path: Path | None) -> str:
    if input_path is None:
        return "<none>"
    return str(input_path.resolve())


def save_in_background(path: Path, data: str) -> None:
    _POOL.submit(path.write_text, data)


def save_soon(path: Path, data: str) -> "asyncio.Future[None]":
    loop = asyncio.get_running_loop()
    return loop.run_in_executor(None, path.write_text, data)


def pause(seconds: float) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        time.sleep(seconds)
        return


async def main(root: Path) -> None:
    walk(str(root), 3)
    count(10)
    normalise(None)
    normalise()
    normalise(input_path=None, strict=True)
    normalise(root)
    normalise_early(None)
    normalise_early(root)
    save_in_background(root / "x", "data")
    await save_soon(root / "y", "data")
    pause(0.1)
    await asyncio.to_thread(walk, str(root), 1)
