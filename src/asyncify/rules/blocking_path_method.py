from asyncify.rules.base import Rule


class BlockingPathMethod(Rule):
    """A `pathlib.Path` method that touches the disk, called in async code.

    ## What it finds
    Calls in an `async def` to `pathlib.Path` methods that do filesystem I/O:
    `read_text`, `write_text`, `read_bytes`, `write_bytes`, `exists`, `is_file`,
    `is_dir`, `stat`, `mkdir`, `unlink`, `rmdir`, `touch`, `rename`, `replace`,
    `iterdir`, `glob`, `rglob`, `walk`, `resolve`, `owner`, `chmod`, `symlink_to` and
    the rest of the list in `asyncify rules`. The receiver is known to be a path when
    it is annotated (`path: Path`), built (`Path(...)`, `p / "x"`, `p.parent`), or
    returned by a function annotated `-> Path`. Pure methods (`with_suffix`,
    `joinpath`, `relative_to`, `name`, ...) and `absolute`, `expanduser`, `cwd`, `home`
    do not touch the disk and are not reported.

    For a receiver of unknown type, a few distinctive names (`read_text`,
    `write_text`, `read_bytes`, `write_bytes`, `iterdir`, `mkdir`, `unlink`, `rmdir`,
    `touch`, `is_file`, `is_dir`, `rglob`, `symlink_to`, `hardlink_to`) are still
    reported, with confidence "likely". `exists` is not guessed: too many non-path
    objects (SQLAlchemy queries among them) have an `exists()` that does no I/O.
    Awaited calls (`await anyio.Path(p).read_text()`) are never reported.

    ## Why it is a problem
    Each of these is one or more filesystem syscalls. On a local SSD they are quick,
    but on a network mount, a busy disk or a large directory they take milliseconds to
    seconds, during which the event loop, and every task on it, waits.

    ## Fix
    `wrap` (default):
    `await asyncio.to_thread(path.write_text, json.dumps(data, indent=2), encoding="utf-8")`
    (`anyio.to_thread.run_sync` / `trio.to_thread.run_sync` in anyio/trio projects).
    `collect` for `iterdir`, `glob`, `rglob` and `walk`, which return iterators that
    read the directory as they are consumed: the iteration is moved into the thread
    with the call, `await asyncio.to_thread(list, path.iterdir())`.

    ## Fix safety
    Safe when the receiver is known to be a path: the coroutine waits for the result
    as before, and other tasks run meanwhile. Findings guessed from the method name
    (confidence "likely") are fixed only with `--unsafe-fixes`. An iterator becomes a
    list, which code that calls `next()` on the result must accept.
    """

    code = "AFY102"
    name = "blocking-path-method"
    message = "`{call}` does filesystem I/O on the event loop"
    noqa = ("ASYNC240",)
    INVALID = (
        """\
import json
from pathlib import Path


async def write_run_report(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
""",
    )
    VALID = (
        """\
import asyncio
import json
from pathlib import Path


async def write_run_report(path: Path, data: dict) -> None:
    await asyncio.to_thread(path.write_text, json.dumps(data, indent=2), encoding="utf-8")
""",
        """\
from pathlib import PurePath


async def report_name(path: PurePath) -> str:
    return path.with_suffix(".json").name  # pure path arithmetic, no disk access
""",
    )
