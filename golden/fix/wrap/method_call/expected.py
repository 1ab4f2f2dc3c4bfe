import asyncio


async def save(store, item):
    await asyncio.to_thread(store.put, item)
    await asyncio.to_thread(store.backend.flush)
