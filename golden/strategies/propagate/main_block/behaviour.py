import asyncio
from pathlib import Path


def main(workdir: Path) -> object:
    from app import core

    path = workdir / "input.txt"
    path.write_text("hello\n", encoding="utf-8")
    other = workdir / "other.txt"
    other.write_text("longer text\n", encoding="utf-8")
    return {"run": asyncio.run(core.run(path)), "main": __import__("subprocess").run([__import__("sys").executable, core.__file__, str(other)], capture_output=True, text=True).stdout}
