import hashlib

import anyio


async def digest(path):
    h = hashlib.sha256()

    def _read_digest() -> None:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(4096), b""):
                h.update(chunk)

    await anyio.to_thread.run_sync(_read_digest)
    return h.hexdigest()


async def main(path):
    await anyio.sleep(0)
    return await digest(path)
