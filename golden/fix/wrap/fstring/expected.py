import asyncio


async def describe(p):
    return f"{p.name}: {await asyncio.to_thread(p.read_text)!r} ({(await asyncio.to_thread(p.stat)).st_size} bytes)"
