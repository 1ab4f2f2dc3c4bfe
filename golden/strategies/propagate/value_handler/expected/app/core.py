import asyncio
from collections.abc import Callable
from pathlib import Path

DATA = Path(__file__).with_name("data.txt")
HANDLERS: dict[str, Callable[[Path], str]] = {}


def handler(func: Callable[[Path], str]) -> Callable[[Path], str]:
    """Registers a sync handler: the registry calls it without await."""
    HANDLERS[func.__name__] = func
    return func


@handler
def load(path: Path) -> str:
    return path.read_text(encoding="utf-8").strip()


async def run(path: Path) -> str:
    """The async root."""
    return "loaded " + await asyncio.to_thread(load, path)
