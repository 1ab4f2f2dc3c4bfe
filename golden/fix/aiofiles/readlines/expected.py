import aiofiles


async def lines(path):
    async with aiofiles.open(path) as fh:
        first = (await fh.readline()).strip()
        rest = await fh.readlines()
    return first, rest
