"""The report over a folder of records, through the async and the sync entry points."""

import asyncio
import json
from pathlib import Path


def main(workdir: Path) -> object:
    from app import service

    for name, value in [("a", 3), ("b", 4), ("c", 5)]:
        (workdir / f"{name}.json").write_text(json.dumps({"value": value}), encoding="utf-8")
    (workdir / "notes.txt").write_text("ignored", encoding="utf-8")
    return {
        "handle": asyncio.run(service.handle(workdir)),
        "count": asyncio.run(service.count(workdir)),
        "sync": service.handle_sync(workdir),
    }
