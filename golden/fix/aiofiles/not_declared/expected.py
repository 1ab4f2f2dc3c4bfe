"""aiofiles is not a dependency of this project: each block moves to a worker thread."""

import asyncio
import csv
import json


async def read_settings(path):
    settings = {}

    def _read_settings() -> None:
        nonlocal settings
        with open(path, encoding="utf-8") as handle:
            settings = json.load(handle)

    await asyncio.to_thread(_read_settings)
    return settings


async def write_report(path, rows):
    def _write_report() -> None:
        with open(path, "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerows(rows)

    await asyncio.to_thread(_write_report)
