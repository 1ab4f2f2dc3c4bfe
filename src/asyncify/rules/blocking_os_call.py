from asyncify.rules.base import Rule


class BlockingOsCall(Rule):
    """An `os` or `os.path` function that touches the filesystem, called in async code.

    ## What it finds
    Calls in an `async def` to `os.path` queries that stat the disk (`exists`, `isfile`,
    `isdir`, `islink`, `getsize`, `getmtime`, `realpath`, `samefile`, ...), and to `os`
    functions that read, write or change the filesystem: `listdir`, `scandir`, `walk`,
    `stat`, `mkdir`, `makedirs`, `remove`, `unlink`, `rename`, `replace`, `rmdir`,
    `chmod`, `access`, descriptor I/O (`open`, `read`, `write`, `sendfile`) and
    `fsync`. The string functions of `os.path` (`join`, `basename`, `dirname`,
    `splitext`, `normpath`, ...) and `abspath`, `relpath` and `expanduser` are not
    reported: they never wait on a disk.

    ## Why it is a problem
    These are direct syscalls. They are fast on a warm local disk and slow everywhere
    else (network filesystems, large directories, `fsync` on a busy disk), and while
    one runs on the event loop thread, no other task makes progress. `os.read` on a
    pipe or terminal can wait indefinitely.

    ## Fix
    `wrap` (default): `await asyncio.to_thread(os.path.exists, path)`
    (`anyio.to_thread.run_sync` / `trio.to_thread.run_sync` in anyio/trio projects).
    `collect` for `os.scandir`, `os.walk` and `os.fwalk`, which read as they are
    iterated: the iteration is moved into the thread with the call,
    `await asyncio.to_thread(list, os.walk(root))`. Several calls in a row on
    the same path are better gathered into one sync helper and one thread hop.

    ## Fix safety
    Safe: the call runs the same, in a worker thread, and the coroutine waits for it.
    A check followed by an action (`exists` then `mkdir`) was never atomic and is not
    made less so. Descriptor I/O on a descriptor set non-blocking
    (`os.set_blocking(fd, False)`) does not block; suppress those findings with
    `# noqa: AFY103`.
    """

    code = "AFY103"
    name = "blocking-os-call"
    message = "`{call}` does filesystem I/O on the event loop"
    noqa = ("ASYNC240",)
    INVALID = (
        """\
import os


async def cached(path):
    if os.path.exists(path):
        return path
""",
    )
    VALID = (
        """\
import asyncio
import os


async def cached(path):
    if await asyncio.to_thread(os.path.exists, path):
        return path
""",
        """\
import os


async def cache_path(root, name):
    return os.path.join(root, name)  # string manipulation only
""",
    )
