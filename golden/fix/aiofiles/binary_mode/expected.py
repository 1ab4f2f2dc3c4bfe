import hashlib

import aiofiles


async def digest(path, target):
    async with aiofiles.open(path, mode="rb") as f:
        blob = await f.read()
    async with aiofiles.open(target, "wb") as out:
        await out.write(hashlib.sha256(blob).digest())
