from asyncify.rules.base import Rule


class BlockingFileObject(Rule):
    """A method of an open file object called on the event loop.

    ## What it finds
    Method calls in an `async def` on a value that is an open file: one made by
    `open()`, `io.open`, `Path.open`, `os.fdopen`, `codecs.open`, `tempfile.TemporaryFile`
    / `NamedTemporaryFile`, `gzip`/`bz2`/`lzma.open` or `socket.makefile` (assigned, bound
    by `with ... as f`, kept on `self`, or at module level), or a parameter, variable or
    attribute annotated `IO[...]`, `TextIO`, `BinaryIO`, `io.TextIOWrapper`,
    `io.BufferedReader`/`Writer`/`Random`, `io.FileIO` (also `Optional[...]` and
    `... | None`). Every method counts except `fileno`, `isatty`, `readable`, `writable`
    and `seekable`. In-memory files (`io.BytesIO`, `io.StringIO`) and `aiofiles` handles
    are not file objects here.

    ## Why it is a problem
    A file object reads and writes through the operating system synchronously: `read`,
    `write`, `readline`, `flush`, `close` (which flushes) wait for the disk in the calling
    thread. On the event loop thread that wait stops every other task.

    ## Fix
    `wrap` (default): `data = await asyncio.to_thread(f.read)` (`f.write, text` for
    arguments; `anyio.to_thread.run_sync` / `trio.to_thread.run_sync` in anyio/trio
    projects): the bound method runs in a worker thread on the same file object. Where
    the file is opened in a `with open(...)` block, the `aiofiles` fix of the `open`
    (AFY101) rewrites the whole block instead, handle calls included. Not automated:
    opening the file with `aiofiles` and passing the async handle around.

    ## Fix safety
    Safe: the file object is used from one thread at a time, since the awaiting task
    waits for the worker thread to finish.
    """

    code = "AFY108"
    name = "blocking-file-object"
    message = "`{call}` reads or writes a file on the event loop"
    noqa = ("ASYNC232",)
    INVALID = (
        """\
from typing import TextIO


async def copy_header(source: TextIO, target: TextIO) -> None:
    target.write("# generated\\n")
""",
    )
    VALID = (
        """\
import asyncio
import io
from typing import TextIO


async def copy_header(source: TextIO, target: TextIO) -> None:
    await asyncio.to_thread(target.write, "# generated\\n")
    buffer = io.StringIO()
    buffer.write("in memory")
""",
    )
