"""aiofiles is not a dependency of this project: each block moves to a worker thread."""

import asyncio
import csv
import json


async def read_settings(path):
    settings = {}
    def _blocking_io():
        nonlocal settings
        with open(path, encoding="utf-8") as handle:
            settings = json.load(handle)
    await asyncio.to_thread(_blocking_io)
    return settings


async def write_report(path, rows):
    def _blocking_io():
        with open(path, "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerows(rows)
    await asyncio.to_thread(_blocking_io)
