import json

import trio


async def load(path):
    async with await trio.open_file(path) as f:
        header = await f.readline()
        await f.seek(0)
        data = json.loads(await f.read())
    async with await trio.open_file(path) as f:
        async for line in f:
            print(line.rstrip())
    with path.open("rb") as f:
        f.close()
    return header, data
