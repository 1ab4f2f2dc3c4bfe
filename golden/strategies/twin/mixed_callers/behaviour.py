import asyncio
from pathlib import Path


def main(workdir: Path) -> object:
    from app import cli, server

    path = workdir / "app.ini"
    path.write_text("port = 8080\nhost = localhost\n", encoding="utf-8")
    return {"serve": asyncio.run(server.serve(path)), "show": cli.show(path)}
