"""Records on disk, one JSON file each."""

import asyncio
import json
import os
from pathlib import Path


def read_record_sync(path: Path) -> dict[str, int]:
    # The innermost helper: the blocking read.
    return json.loads(path.read_text(encoding="utf-8"))


async def read_record_async(path: Path) -> dict[str, int]:
    # The innermost helper: the blocking read.
    return json.loads(await asyncio.to_thread(path.read_text, encoding="utf-8"))


def load_records(folder: Path) -> list[dict[str, int]]:
    names = sorted(os.listdir(folder))
    return [read_record_sync(folder / name) for name in names if name.endswith(".json")]


async def load_records_async(folder: Path) -> list[dict[str, int]]:
    names = sorted(await asyncio.to_thread(os.listdir, folder))
    return [
        await read_record_async(folder / name)
        for name in names
        if name.endswith(".json")
    ]
