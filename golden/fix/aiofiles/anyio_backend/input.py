import anyio


async def save(path, text):
    with open(path, "w") as f:
        f.write(text)
