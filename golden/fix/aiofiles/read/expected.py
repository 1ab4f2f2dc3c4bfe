import aiofiles


async def load(path):
    async with aiofiles.open(path) as f:
        text = await f.read()
    return text
