"""Near misses: blocking calls that do not run on the event loop. Nothing is reported.

Sync functions, nested sync defs, lambdas, class bodies and the module body are not
async code, even when they sit inside or beside an async function.
"""

import asyncio
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import requests

# Module level runs at import time, not on the loop.
SETTINGS = json.loads(Path("settings.json").read_text()) if os.path.exists("settings.json") else {}


def sync_everything(path: Path, url: str) -> None:
    # a plain sync function may block as much as it likes
    time.sleep(1)
    with open(path) as handle:
        json.load(handle)
    path.read_text()
    shutil.rmtree(path.parent)
    subprocess.run(["true"])
    requests.get(url)
    input("continue? ")


class Loader:
    # a class body runs at import time
    DEFAULTS = Path("defaults.toml").read_bytes() if Path("defaults.toml").exists() else b""

    def load(self, path: Path) -> str:
        # a sync method beside async ones
        return path.read_text()

    async def aload(self, path: Path) -> str:
        return await asyncio.to_thread(self.load, path)


async def nested_sync_def(path: Path) -> str:
    # a nested sync def is not async code: it runs where it is called (here, in a thread)
    def read_and_parse() -> dict:
        time.sleep(0.1)
        with open(path) as handle:
            return json.load(handle)

    data = await asyncio.to_thread(read_and_parse)
    return str(data)


async def nested_def_after() -> None:
    # code after a nested def is async code again (see sleep.py); the nested def itself
    # is not
    def helper() -> None:
        time.sleep(1)

    await asyncio.sleep(0)
    del helper


async def lambdas(path: Path) -> None:
    # a lambda body does not run where it is written
    reader = lambda: path.read_text()  # noqa: E731
    on_done = lambda _future: time.sleep(0)  # noqa: E731
    await asyncio.to_thread(reader)
    await asyncio.to_thread(lambda: shutil.copy(path, path.with_suffix(".bak")))
    asyncio.get_running_loop().call_soon(on_done, None)


async def render(template: str = Path(__file__).with_name("page.html").read_text()) -> str:
    # a default of a module-level async def is evaluated once, at import time
    return template


def sync_factory():  # type: ignore[no-untyped-def]
    # a sync def nested in a sync def, returned to a thread pool
    def job() -> None:
        time.sleep(5)

    return job
