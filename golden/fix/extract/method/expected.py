import asyncio
import csv


class Table:
    def __init__(self):
        self.rows = []
        self.loaded = False

    async def load(self, path):
        def _read_rows() -> None:
            with open(path, newline="") as f:
                self.rows = [row for row in csv.reader(f) if row]
                self.loaded = True

        await asyncio.to_thread(_read_rows)
        return len(self.rows)
