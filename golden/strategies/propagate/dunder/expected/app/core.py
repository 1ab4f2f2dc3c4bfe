import asyncio
from pathlib import Path

DATA = Path(__file__).with_name("data.txt")


class Config:
    def __init__(self, path: Path) -> None:
        self.text = path.read_text(encoding="utf-8").strip()


async def run(path: Path) -> str:
    """The async root."""
    return "loaded " + (await asyncio.to_thread(Config, path)).text
