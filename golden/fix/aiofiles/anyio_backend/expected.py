import anyio


async def save(path, text):
    async with await anyio.open_file(path, "w") as f:
        await f.write(text)
