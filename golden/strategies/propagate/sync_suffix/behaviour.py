import asyncio
from pathlib import Path


def main(workdir: Path) -> object:
    from app.service import serve

    path = workdir / "profile.txt"
    path.write_text("name: demo\n", encoding="utf-8")
    return asyncio.run(serve(path))
