import asyncio
from pathlib import Path


async def lines(p: Path, db):
    first = (await asyncio.to_thread(p.read_text)).splitlines()[0]
    row = (await asyncio.to_thread(db.fetch_rows))[0]
    handler = (await asyncio.to_thread(db.make_handler))()
    size = (await asyncio.to_thread(p.stat)).st_size
    return first, row, handler, size
