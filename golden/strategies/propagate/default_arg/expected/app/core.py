import asyncio
from pathlib import Path

DATA = Path(__file__).with_name("data.txt")


def load(path: Path) -> str:
    return path.read_text(encoding="utf-8").strip()


async def load_async(path: Path) -> str:
    return (await asyncio.to_thread(path.read_text, encoding="utf-8")).strip()


def greet(name: str, greeting: str = load(DATA)) -> str:
    return f"{greeting}, {name}"


async def run(path: Path) -> str:
    """The async root."""
    return "loaded " + await load_async(path)
