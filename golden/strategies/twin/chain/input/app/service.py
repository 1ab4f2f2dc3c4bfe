from pathlib import Path

from app import build_report, storage


async def handle(folder: Path) -> str:
    return build_report(folder)


async def count(folder: Path) -> int:
    return len(storage.load_records(folder))


def handle_sync(folder: Path) -> str:
    return build_report(folder)
