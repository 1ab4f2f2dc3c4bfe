from asyncify.rules.base import Rule


class BlockingShutil(Rule):
    """A `shutil` file operation (copy, move, remove a tree) run on the event loop.

    ## What it finds
    Calls in an `async def` to `shutil` functions that operate on files and directory
    trees: `copy`, `copy2`, `copyfile`, `copyfileobj`, `copymode`, `copystat`,
    `copytree`, `rmtree`, `move`, `make_archive`, `unpack_archive`, `disk_usage`,
    `which` and `chown`.

    ## Why it is a problem
    Each call is many syscalls, and `copytree`, `rmtree` and the archive functions are
    proportional to the size of the tree: seconds or minutes during which the event
    loop serves nothing else. `which` stats candidates in every `PATH` directory.

    ## Fix
    `wrap` (default): `await asyncio.to_thread(shutil.copytree, build_dir, target)`
    (`anyio.to_thread.run_sync` / `trio.to_thread.run_sync` in anyio/trio projects).
    Consecutive operations, as in the example, are better moved together into one sync
    helper called through `asyncio.to_thread`.

    ## Fix safety
    Safe: the operation and its result are unchanged. Cancelling the waiting task does
    not stop the thread: a long copy or removal runs to completion in the background.
    """

    code = "AFY104"
    name = "blocking-shutil"
    message = "`{call}` copies, moves or removes files on the event loop"
    INVALID = (
        """\
import shutil


async def publish(build_dir, target):
    shutil.copytree(build_dir, target)
""",
    )
    VALID = (
        """\
import asyncio
import shutil


async def publish(build_dir, target):
    await asyncio.to_thread(shutil.copytree, build_dir, target)
""",
    )
