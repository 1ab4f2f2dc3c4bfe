from pathlib import Path

from .base import Store


class CachedStore(Store):
    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.cache = root / "cache"
        self.memory: dict[str, dict[str, object]] = {}

    def load(self, name: str) -> dict[str, object]:
        if name not in self.memory:
            self.memory[name] = super().load(name)
        return self.memory[name]

    def ready(self) -> bool:
        return self.cache.exists()

    def label(self) -> str:
        return self.describe()


default_store = CachedStore(Path("."))
