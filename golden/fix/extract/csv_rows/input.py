import csv


async def load_rows(path):
    rows = []
    with open(path, newline="") as f:
        for row in csv.reader(f):
            if not row:
                continue  # blank line
            rows.append(row)
    return rows
