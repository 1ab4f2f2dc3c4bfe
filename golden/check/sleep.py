"""AFY110 blocking-sleep: time.sleep in async code.

Golden detection file: each expected finding is marked at the end of its line.
"""

import asyncio
import time
import time as t
from typing import TYPE_CHECKING
from time import sleep
from time import sleep as pause


async def import_forms() -> None:
    # `import time`
    time.sleep(1)  # error: AFY110
    # `import time as t`
    t.sleep(0.5)  # error: AFY110
    # `from time import sleep`
    sleep(0.1)  # error: AFY110
    # `from time import sleep as pause`
    pause(2)  # error: AFY110


async def retry(attempts: int) -> None:
    # in loops, branches and exception handlers
    for attempt in range(attempts):
        try:
            await asyncio.sleep(0)
        except OSError:
            time.sleep(2**attempt)  # error: AFY110
        else:
            break
        finally:
            if attempt > 3:
                sleep(1)  # error: AFY110
    while True:
        t.sleep(0.01)  # error: AFY110
        break


async def local_import() -> None:
    # an import inside the async function
    from time import sleep as nap

    nap(1)  # error: AFY110


async def called_instead_of_passed() -> None:
    # the call runs on the loop before to_thread sees its (None) result
    await asyncio.to_thread(time.sleep(1))  # error: AFY110


async def in_context_managers(lock: asyncio.Lock) -> None:
    # in async with / async for bodies
    async with lock:
        time.sleep(0.2)  # error: AFY110


def make_handler():  # type: ignore[no-untyped-def]
    # an async def nested in a sync def is still async code
    async def handler() -> None:
        time.sleep(1)  # error: AFY110

    return handler


async def outer() -> None:
    # an async def nested in an async def
    async def inner() -> None:
        sleep(3)  # error: AFY110

    await inner()
    # and the outer body after the nested def is still scanned
    time.sleep(4)  # error: AFY110


async def type_checking_branches() -> None:
    # the else branch of `if TYPE_CHECKING:` and the body of `if not TYPE_CHECKING:` run
    if TYPE_CHECKING:
        pass
    else:
        time.sleep(1)  # error: AFY110
    if not TYPE_CHECKING:
        sleep(1)  # error: AFY110


class Poller:
    async def poll(self, interval: float) -> None:
        time.sleep(interval)  # error: AFY110

    @staticmethod
    async def wait(seconds: float) -> None:
        pause(seconds)  # error: AFY110
