import asyncio
from pathlib import Path


def main(workdir: Path) -> object:
    from app import core

    path = workdir / "input.txt"
    path.write_text("hello\n", encoding="utf-8")
    other = workdir / "other.txt"
    other.write_text("longer text\n", encoding="utf-8")
    return {"run": asyncio.run(core.run(path)), "total": core.total([path, other])}
