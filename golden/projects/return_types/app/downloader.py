from collections.abc import Iterator
from pathlib import Path


class Settings:
    root: Path
    names: dict[str, str]


def make_settings() -> Settings:
    return Settings()


class Downloader:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.settings = make_settings()

    async def download_scripts(self, names: list[str]) -> dict[str, Path]:
        return {name: self.base / name for name in names}

    async def newest(self) -> Path:
        return self.base

    def listing(self) -> list[Path]:
        return []

    def pair(self) -> tuple[Path, int]:
        return self.base, 1

    def flipped(self) -> tuple[int, Path]:
        return 1, self.base

    def walk(self) -> Iterator[Path]:
        yield self.base

    def untyped(self):
        return self.base


def default_downloader() -> Downloader:
    return Downloader(Path("."))
