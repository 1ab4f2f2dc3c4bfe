import asyncio


async def forward(fn, *args, **kwargs):
    await asyncio.to_thread(fn, *args, **kwargs)
    await asyncio.to_thread(fn, 1, *args, key="k", **kwargs)
