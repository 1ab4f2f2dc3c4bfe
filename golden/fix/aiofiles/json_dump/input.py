import json
from json import dump


async def save(path, data):
    with open(path, "w") as f:
        json.dump(data, f, indent=2, sort_keys=True)
    with open(path, "w") as out:
        dump(data, out)
