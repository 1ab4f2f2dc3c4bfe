import asyncio
from pathlib import Path


class EvalSetLoader:
    def __init__(self, root: Path) -> None:
        self.root = root

    def get_slice_scripts(self, name: str) -> list[str]:
        return sorted(p.name for p in (self.root / name).iterdir())

    async def get_slice_scripts_async(self, name: str) -> list[str]:
        return sorted(
            p.name for p in await asyncio.to_thread(list, (self.root / name).iterdir())
        )


def read_manifest(path: Path) -> str:
    return path.read_text(encoding="utf-8")


async def read_manifest_async(path: Path) -> str:
    return await asyncio.to_thread(path.read_text, encoding="utf-8")
