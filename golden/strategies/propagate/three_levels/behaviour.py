import asyncio
from pathlib import Path


def main(workdir: Path) -> object:
    from app.service import main as run

    path = workdir / "entries.txt"
    path.write_text("a: 1\nb: 2\nnoise\nc: 3\n", encoding="utf-8")
    return asyncio.run(run(path))
