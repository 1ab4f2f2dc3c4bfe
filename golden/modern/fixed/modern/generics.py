"""PEP 695 generics and type aliases (3.12), PEP 696 defaults (3.13)."""

import asyncio
import time
from pathlib import Path

type Pathish = str | Path
type Pair[K, V = int] = tuple[K, V]


class Store[T: (str, bytes) = str]:
    def __init__(self, root: Path) -> None:
        self.root = root

    async def load[D](self, name: str, default: D) -> T | D: await asyncio.sleep(0.1); return await asyncio.to_thread(Path(name).read_text)

    def read_sync(self) -> str:
        return (self.root / "data").read_text()


class Cache[**P, *Ts](Store[str]):
    async def warm(self) -> str:
        return self.read_sync()


async def fetch[T](store: Store[T]) -> str:
    type Local = list[T]; await asyncio.sleep(1)
    return await asyncio.to_thread(store.read_sync)
