import json
from pathlib import Path


class Store:
    def __init__(self, root: Path) -> None:
        self.root = root

    def load(self, name: str) -> dict[str, object]:
        return json.loads((self.root / name).read_text())

    def describe(self) -> str:
        return f"store at {self.root}"


class Config:
    def __init__(self, path: Path) -> None:
        self.values = path.read_text().splitlines()

    @staticmethod
    def default_path() -> Path:
        return Path("config.ini")

    @staticmethod
    def read_default() -> str:
        return Config.default_path().read_text()

    @classmethod
    def from_default(cls) -> "Config":
        return cls(cls.default_path())
