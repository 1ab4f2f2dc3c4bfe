from asyncify.rules.base import Rule


class BlockingGlob(Rule):
    """`glob.glob` / `glob.iglob` scan directories on the event loop.

    ## What it finds
    Calls in an `async def` to `glob.glob` and `glob.iglob`, through any import or
    alias. (`Path.glob` and `Path.rglob` are reported by AFY102.)

    ## Why it is a problem
    A glob lists every directory its pattern reaches; with `**` and
    `recursive=True` that is a whole tree. The event loop waits for all of it, and
    `iglob` does the same reads one by one as the loop iterates over it.

    ## Fix
    `wrap` (default):
    `await asyncio.to_thread(glob.glob, f"{root}/**/*.py", recursive=True)`
    (`anyio.to_thread.run_sync` / `trio.to_thread.run_sync` in anyio/trio projects).
    `collect` for `glob.iglob`, which is lazy: the iteration is moved into the thread
    with the call, `await asyncio.to_thread(list, glob.iglob(pattern))`.

    ## Fix safety
    Safe: the same paths are returned. An `iglob` iterator becomes a list, which holds
    every match in memory at once.
    """

    code = "AFY106"
    name = "blocking-glob"
    message = "`{call}` scans directories on the event loop"
    INVALID = (
        """\
import glob


async def plugin_files(root):
    return glob.glob(f"{root}/**/*.py", recursive=True)
""",
    )
    VALID = (
        """\
import asyncio
import glob


async def plugin_files(root):
    return await asyncio.to_thread(glob.glob, f"{root}/**/*.py", recursive=True)
""",
    )
