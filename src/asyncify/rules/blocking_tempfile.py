from asyncify.rules.base import Rule


class BlockingTempfile(Rule):
    """Creating a temporary file or directory on the event loop.

    ## What it finds
    Calls in an `async def` to `tempfile.mkstemp`, `mkdtemp`, `mktemp`,
    `NamedTemporaryFile`, `TemporaryFile` and `TemporaryDirectory`, and (with
    confidence "likely") `SpooledTemporaryFile`, which writes to disk only once its
    data passes `max_size`. `gettempdir` is not reported: only its first call in a
    process probes the disk, later calls return a cached string.

    ## Why it is a problem
    Creating a temporary file or directory is a filesystem call with a retry loop on
    name collisions, and the file object returned reads and writes synchronously.
    Leaving a `TemporaryDirectory` block removes the whole tree. All of it runs on the
    event loop thread and holds up every other task.

    ## Fix
    `wrap` (default): `await asyncio.to_thread(tempfile.mkdtemp)`; for a `with` block,
    `with await asyncio.to_thread(tempfile.NamedTemporaryFile, "w") as out:`
    (`anyio.to_thread.run_sync` / `trio.to_thread.run_sync` in anyio/trio projects).
    This moves the creation only: writes through the file and the cleanup on leaving
    the block stay on the loop, so substantial work is better moved whole into a sync
    helper. `SpooledTemporaryFile` has no automatic fix: wrapping its constructor would
    not move the writes that spill to disk.

    ## Fix safety
    Safe: the same file or directory is created, in a worker thread. `likely` findings
    (`SpooledTemporaryFile`) are reported for review only.
    """

    code = "AFY105"
    name = "blocking-tempfile"
    message = "`{call}` creates a temporary file or directory on the event loop"
    INVALID = (
        """\
import tempfile


async def scratch_dir():
    return tempfile.mkdtemp(prefix="build-")
""",
    )
    VALID = (
        """\
import asyncio
import tempfile


async def scratch_dir():
    return await asyncio.to_thread(tempfile.mkdtemp, prefix="build-")
""",
    )
