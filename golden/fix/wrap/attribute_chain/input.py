from pathlib import Path


async def lines(p: Path, db):
    first = p.read_text().splitlines()[0]
    row = db.fetch_rows()[0]
    handler = db.make_handler()()
    size = (p.stat()).st_size
    return first, row, handler, size
