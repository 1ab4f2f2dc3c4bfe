from pathlib import Path

from app.remote import Remote


class Fetcher:
    def __init__(self, base: Path, remote: Remote) -> None:
        self.base = base
        self.remote = remote

    async def _download(self) -> bytes:
        return await self.remote.download()

    async def resolve(self, a: bool, b: bool, x: str) -> None:
        if a:
            p = await self._download()
        elif b:
            p = self.base / Path(x)
            if not p.exists():
                p.mkdir()
        else:
            p = x / Path("fallback")
            p.touch()
        p.read_bytes()

    async def straight(self, x: str) -> None:
        p = Path(x)
        p.read_text()
        p = x
        p = await self.remote.local_copy()
        p.write_bytes(b"")

    async def early_return(self, a: bool, x: str) -> None:
        p = Path(x)
        if a:
            p = await self._download()
            return
        p.unlink()

    async def raising(self, a: bool, x: str) -> None:
        if a:
            p = Path(x)
        else:
            raise ValueError(x)
        p.rmdir()

    async def matching(self, kind: str, x: str) -> None:
        match kind:
            case "file":
                p = Path(x)
                p.is_file()
            case _:
                p = await self._download()
        p.write_text("")

    async def looping(self, names: list[str]) -> None:
        p = await self._download()
        for name in names:
            p.read_bytes()
            p = Path(name)

    async def guarded(self, x: str) -> None:
        p = Path(x)
        try:
            p = await self._download()
        except OSError:
            p.read_text()
