import json

import trio


async def load(path):
    with open(path) as f:
        header = f.readline()
        f.seek(0)
        data = json.load(f)
    with open(path) as f:
        for line in f:
            print(line.rstrip())
    with path.open("rb") as f:
        f.close()
    return header, data
