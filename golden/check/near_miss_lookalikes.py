"""Near misses: names that look like blocking APIs but are not. Nothing is reported."""

import asyncio
import json
import os
import os.path
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import anyio
import trio


def sleep(seconds: float) -> None:
    """A project function that happens to be called `sleep` (and does not block)."""
    del seconds


async def local_sleep() -> None:
    sleep(1)


async def parameter_named_open(name: str, open: Callable[[str], Awaitable[bytes]]) -> bytes:
    # `open` is a parameter here (an async opener), not the builtin
    pending = open(name)
    return await pending


async def local_named_input() -> str:
    # `input` rebound in the function is not the builtin
    input = lambda prompt: prompt  # noqa: E731
    return input("x")


class Throttle:
    def sleep(self, seconds: float) -> None:
        self.delay = seconds

    async def tick(self) -> None:
        # a method of this class, not time.sleep
        self.sleep(0.1)


class Registry:
    """A project class with Path-like method names that do no I/O."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def exists(self, name: str) -> bool:
        return name in self.names

    def read_text(self) -> str:
        return ",".join(sorted(self.names))


@dataclass
class Service:
    registry: Registry


async def project_class_receivers(registry: Registry, service: Service) -> str:
    # receivers typed as project classes: their methods are the project's
    local = Registry()
    local.exists("a")
    registry.exists("b")
    service.registry.exists("c")
    return registry.read_text() + local.read_text()


async def async_paths(name: str) -> str:
    # anyio/trio paths are awaited: they already run in a thread
    text = await anyio.Path(name).read_text()
    apath = anyio.Path(name)
    if await apath.exists():
        await apath.unlink()
    await trio.Path(name).mkdir(exist_ok=True)
    return text


async def async_sleeps() -> None:
    await asyncio.sleep(1)
    await trio.sleep(1)
    await anyio.sleep(1)


async def awaited_unknown_receivers(store, bucket) -> bytes:  # type: ignore[no-untyped-def]
    # awaited calls on receivers of unknown type are async APIs, whatever their name
    await store.read_text()
    await store.write_bytes(b"")
    await bucket.mkdir("x")
    return await bucket.read_bytes()


async def awaited_through_asyncio(store, bucket) -> list[str]:  # type: ignore[no-untyped-def]
    # a call whose result goes straight to gather / wait_for / create_task is a coroutine,
    # so its unknown receiver is an async API, not a Path
    first, second = await asyncio.gather(store.read_text("a"), store.read_text("b"))
    await asyncio.wait_for(bucket.write_bytes(b""), timeout=5)
    task = asyncio.create_task(bucket.mkdir("tmp"))
    await task
    return [first, second]


async def async_iteration(folder) -> list[str]:  # type: ignore[no-untyped-def]
    # `async for` over a call: an async iterator (anyio/aiopath style), not Path.iterdir
    names = []
    async for child in folder.iterdir():
        names.append(child.name)
    async for match in folder.rglob("*.py"):
        names.append(match.name)
    return names


async def parameter_named_like_a_module(time, shutil) -> None:  # type: ignore[no-untyped-def]
    # parameters (a fake clock, a test double) hide the modules of the same name
    time.sleep(1)
    shutil.rmtree("/")


async def string_functions(base: str, name: str) -> str:
    # os.path string functions do no I/O
    joined = os.path.join(base, name)
    head, tail = os.path.split(joined)
    stem, ext = os.path.splitext(os.path.basename(tail))
    return os.path.normpath(os.path.dirname(head)) + stem + ext


async def pure_path_operations(path: Path) -> str:
    # pure Path operations and properties never touch the disk
    backup = path.with_suffix(".bak").with_name("copy").joinpath("x")
    relative = backup.relative_to(path.parent)
    if path.is_absolute() and path.match("*.py"):
        return relative.as_posix() + path.name + path.suffix + str(Path.cwd()) + str(Path.home())
    return os.fspath(path.absolute().expanduser())


async def common_method_names(text: str, match: re.Match[str], query, container) -> str:  # type: ignore[no-untyped-def]
    # non-distinctive method names on other objects are never guessed
    text.replace("a", "b")
    match.group(1)
    query.exists()
    container.resolve("service")
    container.stat()
    container.open()
    return text


async def in_memory_serialisation(text: str) -> str:
    return json.dumps(json.loads(text))
