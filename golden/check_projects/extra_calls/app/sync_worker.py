"""AFY190 extra-blocking-call: `mylib.fetch_sync` is declared blocking in pyproject.toml.

Golden detection file: each expected finding is marked at the end of its line.
`mylib` is a third-party library (not part of this project).
"""

import asyncio

import mylib
import mylib as ml
from mylib import fetch_sync, fetch_sync as download


async def refresh(keys: list[str]) -> list[bytes]:
    # every import form resolves to the declared name
    first = mylib.fetch_sync(keys[0])  # error: AFY190
    second = ml.fetch_sync(keys[1])  # error: AFY190
    third = fetch_sync(keys[2])  # error: AFY190
    rest = [download(key) for key in keys[3:]]  # error: AFY190
    return [first, second, third, *rest]


async def offloaded(key: str) -> bytes:
    # passed to a thread, not called: fine
    return await asyncio.to_thread(mylib.fetch_sync, key)


async def suppressed(key: str) -> None:
    mylib.fetch_sync(key)  # asyncify: ignore[AFY190]
    mylib.fetch_sync(key)  # noqa: ASYNC200


async def other_names(key: str) -> None:
    # other functions of the library are not declared
    mylib.fetch_async(key)
    mylib.parse(key)


def sync_caller(key: str) -> bytes:
    # sync code may call it
    return mylib.fetch_sync(key)


async def through_helper(key: str) -> bytes:
    # a project helper that calls the declared function blocks too
    return sync_caller(key)  # error: AFY200
