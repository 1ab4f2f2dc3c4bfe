import asyncio


async def slurp(p):
    return await asyncio.to_thread(lambda: open(p).read())
