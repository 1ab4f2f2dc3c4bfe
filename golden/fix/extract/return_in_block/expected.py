import csv


async def header(path):
    with open(path, newline="") as f:
        return next(csv.reader(f))
