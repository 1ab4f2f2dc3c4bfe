import anyio


async def slurp(p):
    return await anyio.to_thread.run_sync(lambda: open(p).read())
