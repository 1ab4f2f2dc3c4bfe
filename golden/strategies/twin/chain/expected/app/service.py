from pathlib import Path

from app import build_report, build_report_async, storage


async def handle(folder: Path) -> str:
    return await build_report_async(folder)


async def count(folder: Path) -> int:
    return len(await storage.load_records_async(folder))


def handle_sync(folder: Path) -> str:
    return build_report(folder)
