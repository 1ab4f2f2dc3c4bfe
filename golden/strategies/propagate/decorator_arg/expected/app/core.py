import asyncio
from pathlib import Path

DATA = Path(__file__).with_name("data.txt")


def load(path: Path) -> str:
    return path.read_text(encoding="utf-8").strip()


async def load_async(path: Path) -> str:
    return (await asyncio.to_thread(path.read_text, encoding="utf-8")).strip()


def tagged(label: str):  # type: ignore[no-untyped-def]
    def mark(func):  # type: ignore[no-untyped-def]
        func.label = label
        return func
    return mark


@tagged(load(DATA))
def version() -> str:
    return "1.0"


async def run(path: Path) -> str:
    """The async root."""
    return "loaded " + await load_async(path)
