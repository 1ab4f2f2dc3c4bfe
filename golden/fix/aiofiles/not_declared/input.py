"""aiofiles is not a dependency of this project: each block moves to a worker thread."""

import csv
import json


async def read_settings(path):
    settings = {}
    with open(path, encoding="utf-8") as handle:
        settings = json.load(handle)
    return settings


async def write_report(path, rows):
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerows(rows)
