from pathlib import Path


class Remote:
    async def download(self) -> bytes:
        return b""

    async def local_copy(self) -> Path:
        return Path("copy")
