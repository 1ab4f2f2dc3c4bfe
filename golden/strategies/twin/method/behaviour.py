import asyncio
from pathlib import Path


def main(workdir: Path) -> object:
    from app.repository import Greeter, Repository

    (workdir / "ada.txt").write_text("ada\n", encoding="utf-8")
    greeter = Greeter(Repository(workdir))
    return {"async": asyncio.run(greeter.greet("ada")), "sync": greeter.greet_sync("ada")}
