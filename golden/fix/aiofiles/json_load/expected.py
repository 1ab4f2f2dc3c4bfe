import json

import aiofiles


async def config(path):
    async with aiofiles.open(path, encoding="utf-8") as f:
        data = json.loads(await f.read())
    return data
