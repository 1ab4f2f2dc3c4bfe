from asyncify.rules.base import Rule


class BlockingFileSerialisation(Rule):
    """A (de)serialiser that reads or writes a file, called on the event loop.

    ## What it finds
    Calls in an `async def` to functions that read or write a file object themselves:
    `json.load`/`dump`, `pickle.load`/`dump`, `marshal.load`/`dump`, `tomllib.load`
    (and `tomli.load`, `tomli_w.dump`, `toml.load`/`dump`), `plistlib.load`/`dump`,
    `hashlib.file_digest`, and python-dotenv's `load_dotenv`, `dotenv_values` and
    `find_dotenv`. PyYAML's `load`/`safe_load`/`dump`/... functions and `csv.reader`/
    `csv.DictReader` are reported with confidence "likely": they block only over a real
    file, not over a string or an in-memory buffer.

    ## Why it is a problem
    Parsing or writing a file reads or writes it from start to end in the calling
    thread. On the event loop thread that means every other task waits for the disk
    and for the parsing itself. The `open()` around the call is usually reported too
    (AFY101): fixing only one of the two leaves the other blocking.

    ## Fix
    `wrap` (default): `payload = await asyncio.to_thread(tomllib.load, handle)`
    (`anyio.to_thread.run_sync` / `trio.to_thread.run_sync` in anyio/trio projects).
    Usually clearer: move the `with open(...)` block and the parsing into one sync
    helper (`_load_config_sync(path)`) and await that through `asyncio.to_thread`, so
    the open, the read and the parse share one thread hop. `csv.reader` and
    `csv.DictReader` have no automatic fix, because they read as they are iterated:
    read the rows in a thread (`await asyncio.to_thread(lambda: list(csv.reader(f)))`)
    or move the block into a helper.

    ## Fix safety
    Safe for the certain findings: the same data is read or written, in a worker
    thread. `likely` findings (PyYAML over a stream, csv readers) are fixed only with
    `--unsafe-fixes`, after checking that the argument is a file.
    """

    code = "AFY107"
    name = "blocking-file-serialisation"
    message = "`{call}` reads or writes a file on the event loop"
    INVALID = (
        """\
import json


async def load_settings(handle):
    return json.load(handle)
""",
    )
    VALID = (
        """\
import json


async def parse_settings(text):
    return json.loads(text)  # parses a string: no I/O
""",
    )
