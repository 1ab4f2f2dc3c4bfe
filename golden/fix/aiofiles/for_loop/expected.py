import aiofiles


async def count(path):
    n = 0
    async with aiofiles.open(path) as f:
        async for line in f:
            if line.strip():
                n += 1
        words = [w async for line in f for w in line.split()]
    return n, words
