"""AFY200 blocking-helper: async code calling a sync helper that blocks further down.

Golden detection file (one module on its own): each expected finding is marked at the
end of its line. The helper's own blocking calls are not findings: they are in sync code.
"""

import asyncio
import json
import time
from pathlib import Path


def _load_config_sync(path: str) -> dict:
    # a module function that opens a file
    with open(path) as handle:
        return json.load(handle)


def _settle() -> None:
    time.sleep(0.5)


def _outer() -> None:
    # two calls down: _outer -> _middle -> _settle -> time.sleep
    _middle()


def _middle() -> None:
    _settle()


def _even(n: int) -> bool:
    # mutual recursion terminates, and the blocking call is still found
    if n == 0:
        Path("/tmp/even").touch()
        return True
    return _odd(n - 1)


def _odd(n: int) -> bool:
    return False if n == 0 else _even(n - 1)


def _pure(values: list[int]) -> int:
    # a helper that does not block: calling it is fine
    return sum(values)


async def run_doctor(path: str) -> dict:
    config = _load_config_sync(path)  # error: AFY200
    _outer()  # error: AFY200
    _even(4)  # error: AFY200
    _pure([1, 2])
    # passed to a thread, not called: fine
    await asyncio.to_thread(_load_config_sync, path)
    return config


class Store:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _read(self, name: str) -> str:
        return (self.root / name).read_text()

    @staticmethod
    def _wait() -> None:
        time.sleep(1)

    @classmethod
    def _default(cls) -> "Store":
        return cls(Path.cwd())

    async def get(self, name: str) -> str:
        # a `self.` method and a staticmethod through `self`
        self._wait()  # error: AFY200
        return self._read(name)  # error: AFY200

    async def fresh(self) -> "Store":
        # a classmethod that does not block
        return self._default()


async def nested_helper_called(path: Path) -> str:
    # a nested sync def is not async code, but calling it on the loop runs it there
    def read() -> str:
        return path.read_text()

    return read()  # error: AFY200
