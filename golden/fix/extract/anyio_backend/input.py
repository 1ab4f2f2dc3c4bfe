import hashlib

import anyio


async def digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(4096), b""):
            h.update(chunk)
    return h.hexdigest()


async def main(path):
    await anyio.sleep(0)
    return await digest(path)
