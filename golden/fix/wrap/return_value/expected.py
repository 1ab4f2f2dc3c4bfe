import asyncio


async def read(p):
    return await asyncio.to_thread(p.read_bytes)


async def both(p):
    return await asyncio.to_thread(p.read_bytes), await asyncio.to_thread(p.stat)
