import asyncio


async def slurp(p):
    return await asyncio.to_thread((await asyncio.to_thread(open, p)).read)
