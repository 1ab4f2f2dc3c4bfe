import asyncio
import csv
import os


async def copy_rows(src, dst):
    count = 0

    def _read_src() -> None:
        nonlocal count
        with open(src, newline="") as f:
            rows = list(csv.reader(f))  # only used inside the block
            with open(dst, "w", newline="") as out:
                writer = csv.writer(out)
                for row in rows:
                    writer.writerow(row)
                    count += 1
                out.flush()
                os.fsync(out.fileno())

    await asyncio.to_thread(_read_src)

    def _read_dst() -> None:
        with open(dst, newline="") as f:
            assert sum(1 for _ in csv.reader(f)) == count

    await asyncio.to_thread(_read_dst)
    return count
