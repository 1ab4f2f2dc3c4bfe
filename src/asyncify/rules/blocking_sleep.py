from asyncify.rules.base import Rule


class BlockingSleep(Rule):
    """`time.sleep` inside async code stops the whole event loop.

    ## What it finds
    Calls to `time.sleep` (through any import or alias) made directly in an `async def`.

    ## Why it is a problem
    `time.sleep` suspends the thread, and the event loop runs on that thread: every other
    task, timer and connection waits until the sleep ends.

    ## Fix
    `sleep` (default): `await asyncio.sleep(1)` (`anyio.sleep` / `trio.sleep` in
    anyio/trio projects). `wrap` is also available.

    ## Fix safety
    Safe: the coroutine still waits as long, but other tasks run meanwhile.
    """

    code = "AFY110"
    name = "blocking-sleep"
    message = "`{call}` blocks the event loop while it sleeps"
    noqa = ("ASYNC251",)
    INVALID = (
        """\
import time


async def poll():
    time.sleep(1)
""",
    )
    VALID = (
        """\
import asyncio


async def poll():
    await asyncio.sleep(1)
""",
        """\
async def poll(sleep):
    sleep(1)  # a parameter, not time.sleep: names are resolved, not guessed
""",
    )
