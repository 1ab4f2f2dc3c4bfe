import asyncio
from pathlib import Path


def main(workdir: Path) -> object:
    from app import core

    path = workdir / "input.txt"
    path.write_text("hello\n", encoding="utf-8")
    other = workdir / "other.txt"
    other.write_text("longer text\n", encoding="utf-8")
    return {"run": asyncio.run(core.run(path)), "test": __import__("runpy").run_path(str(Path(core.__file__).parent.parent / "tests" / "test_core.py"))["test_load"](workdir)}
