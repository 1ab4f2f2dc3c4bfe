import asyncio


async def more(path, other):
    with open(path) as f, open((await asyncio.to_thread(f.readline)).strip()) as g:
        await asyncio.to_thread(g.read)
    with open(path, "w") as f:
        print("hello", file=f)
    with open(path) as f:
        reader = f.read
    with open(path) as f:
        def later():
            return f.read()
    with open(path) as f:
        f = other
    with open(path, "rb") as f:
        mm = await asyncio.to_thread(f.detach)
    with open(path, "rb") as f:
        yield f
