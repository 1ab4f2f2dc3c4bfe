import asyncio
import csv


async def load_rows(path):
    rows = []

    def _read_rows() -> None:
        with open(path, newline="") as f:
            for row in csv.reader(f):
                if not row:
                    continue  # blank line
                rows.append(row)

    await asyncio.to_thread(_read_rows)
    return rows
