from pathlib import Path

from .base import Config, Store
from .cached import CachedStore, default_store


class Service:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def fetch(self, name: str) -> dict[str, object]:
        return self.store.load(name)

    async def check(self, cached: CachedStore) -> bool:
        label = cached.label()  # formats only
        return cached.ready() and bool(label)


async def run(root: Path) -> None:
    store = CachedStore(root)
    store.load("a.json")
    default_store.load("b.json")
    Config.read_default()
    Config.from_default()
    Config(root / "x.ini")
    Config.default_path()  # computes only
