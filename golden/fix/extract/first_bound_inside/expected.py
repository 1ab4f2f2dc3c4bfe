import csv


async def read_rows(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows
