from asyncify.rules.base import Rule


class BlockingOpen(Rule):
    """Opening a file in async code does disk I/O on the event loop thread.

    ## What it finds
    Calls that open a file, made directly in an `async def`: `open()`, `io.open`,
    `pathlib.Path.open`, `os.fdopen`, `codecs.open`, `io.open_code`, and the compressed
    and archive openers `gzip.open`, `bz2.open`, `lzma.open`, `tarfile.open` and
    `zipfile.ZipFile`. Calls are matched through imports and aliases
    (`from pathlib import Path as P; P(x).open()`), never by name alone.

    ## Why it is a problem
    Opening a file is a filesystem call that can wait on a slow disk, a network mount or
    a cold cache, and the handle it returns reads and writes synchronously: every
    `f.read()` and `f.write()` inside the block stalls the event loop too, and with it
    every other task, timer and connection.

    ## Fix
    `aiofiles` (default for `open`, `io.open` and `Path.open` used as a `with` block):
    the block becomes `async with aiofiles.open(path, "w", encoding="utf-8") as handle:`
    and each read or write on the handle is awaited (`await handle.write(text)`), so
    the whole block runs off the loop. `import aiofiles` is added.
    `wrap` (the other openers, and a handle used outside a `with` block):
    `await asyncio.to_thread(open, path, "w")` (`anyio.to_thread.run_sync` /
    `trio.to_thread.run_sync` in anyio/trio projects). This moves the open only: reads
    and writes on the handle still run on the loop, so a block doing substantial I/O is
    better moved whole into a sync helper called through `asyncio.to_thread`.

    ## Fix safety
    `aiofiles` is applied only when every use of the handle is inside the block and can
    be awaited. A handle passed to sync code (`json.load(handle)`, `csv.reader(handle)`),
    returned or stored would hand that code an async file, so such blocks are wrapped
    instead. `aiofiles` is used only when the project declares it (pyproject, Poetry,
    requirements files, setup.cfg/setup.py) or already imports it; otherwise the block
    runs whole in a worker thread and the summary says so (`--strategy aiofiles` forces
    it and names the dependency to add). `wrap` is safe.
    """

    code = "AFY101"
    name = "blocking-open"
    message = "`{call}` opens a file on the event loop; its reads and writes block too"
    noqa = ("ASYNC230", "ASYNC231")
    INVALID = (
        """\
async def save_report(path, text):
    with open(path, "w", encoding="utf-8") as handle:
        print(text, file=handle)
""",
    )
    VALID = (
        """\
import aiofiles


async def save_report(path, text):
    async with aiofiles.open(path, "w", encoding="utf-8") as handle:
        await handle.write(text)
""",
    )
