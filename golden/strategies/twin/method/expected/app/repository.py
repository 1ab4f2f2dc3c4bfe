import asyncio
import time
from pathlib import Path


class Repository:
    """Greetings stored as text files."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def read(self, name: str) -> str:
        return (self.root / f"{name}.txt").read_text(encoding="utf-8")

    async def read_async(self, name: str) -> str:
        return await asyncio.to_thread(
            (self.root / f"{name}.txt").read_text, encoding="utf-8"
        )

    def read_upper(self, name: str) -> str:
        return self.read(name).strip().upper()

    async def read_upper_async(self, name: str) -> str:
        return (await self.read_async(name)).strip().upper()

    @staticmethod
    def pause_sync(seconds: float) -> None:
        time.sleep(seconds)

    @staticmethod
    async def pause_async(seconds: float) -> None:
        await asyncio.sleep(seconds)


class Greeter:
    def __init__(self, repository: Repository) -> None:
        self.repository = repository

    async def greet(self, name: str) -> str:
        await Repository.pause_async(0.01)
        return "Hello, " + await self.repository.read_upper_async(name)

    def greet_sync(self, name: str) -> str:
        return "Hi, " + self.repository.read_upper(name)
