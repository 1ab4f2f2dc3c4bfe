"""Near misses: blocking callables handed to a thread, not called. Nothing is reported."""

import asyncio
import functools
import os
import shutil
import subprocess
import time
from functools import partial
from pathlib import Path

import anyio
import anyio.to_thread
import requests
import trio


async def with_asyncio(path: Path, url: str) -> str:
    # asyncio.to_thread(callable, *args, **kwargs)
    text = await asyncio.to_thread(path.read_text, encoding="utf-8")
    await asyncio.to_thread(time.sleep, 1)
    await asyncio.to_thread(shutil.copy, path, path.with_name("copy"))
    await asyncio.to_thread(open, path)
    response = await asyncio.to_thread(requests.get, url, timeout=5)
    return text + response.text


async def with_executor(path: Path) -> None:
    # loop.run_in_executor(executor, callable, *args)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, time.sleep, 1)
    await loop.run_in_executor(None, os.listdir, str(path))
    await loop.run_in_executor(None, functools.partial(subprocess.run, ["true"], check=True))
    await asyncio.get_running_loop().run_in_executor(None, path.unlink)


async def with_anyio(path: Path) -> None:
    # anyio.to_thread.run_sync(callable, *args); keywords through functools.partial
    await anyio.to_thread.run_sync(path.mkdir)
    await anyio.to_thread.run_sync(partial(path.write_text, "x", encoding="utf-8"))
    await anyio.to_thread.run_sync(time.sleep, 0.5)


async def with_trio(path: Path) -> None:
    # trio.to_thread.run_sync(callable, *args)
    await trio.to_thread.run_sync(shutil.rmtree, path)
    await trio.to_thread.run_sync(partial(os.makedirs, path, exist_ok=True))


async def receiver_built_on_the_loop(name: str) -> str:
    # constructing the Path whose method is handed over does not block
    return await asyncio.to_thread(Path(name).read_text)


async def as_a_task(path: Path) -> None:
    # a callable scheduled with arguments, still not called here
    task = asyncio.create_task(asyncio.to_thread(path.exists))
    await task
