import asyncio
import hashlib


async def checksum(path):
    digest = None
    size = 0

    def _read_checksum() -> None:
        nonlocal digest, size
        with open(path, "rb") as f:
            digest = hashlib.file_digest(f, "sha256").hexdigest()
            size = f.tell()

    await asyncio.to_thread(_read_checksum)
    return digest, size
