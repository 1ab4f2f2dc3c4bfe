import json
from json import dump

import aiofiles


async def save(path, data):
    async with aiofiles.open(path, "w") as f:
        await f.write(json.dumps(data, indent=2, sort_keys=True))
    async with aiofiles.open(path, "w") as out:
        await out.write(json.dumps(data))
