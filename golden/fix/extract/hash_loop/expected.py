import asyncio
import hashlib


async def digest(path):
    h = hashlib.sha256()

    # Read in chunks: the file may be large.
    def _read_digest() -> None:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(4096), b""):
                h.update(chunk)

    await asyncio.to_thread(_read_digest)
    return h.hexdigest()
