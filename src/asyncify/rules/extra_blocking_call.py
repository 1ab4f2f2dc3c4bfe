from asyncify.rules.base import Rule


class ExtraBlockingCall(Rule):
    """A call the project declared blocking in `extra-blocking-calls`, made in async code.

    ## What it finds
    Calls in an `async def` to the qualified names listed under `extra-blocking-calls`
    in `[tool.asyncify]`, resolved through imports and aliases like the built-in
    catalogue. An entry may set its own `code` (then it is reported under that rule
    instead), `message` (the whole finding message, shown as written), `strategies`
    (`wrap` by default), `guess`, `likely` and `thread-affine`:

    ```toml
    [tool.asyncify]
    extra-blocking-calls = [
        { name = "mycompany.storage.download", message = "`download` fetches from S3; use `adownload`" },
        { name = "legacy.db.Session.query", thread-affine = true },
    ]
    ```

    A name may be a pattern: `mylib.*` (everything under a module or class) or
    `*.fetch_all` (that method on any receiver, even one of unknown type; reported as
    certain). `extra-blocking-classes` declares blocking object types: a value made by
    the class or annotated with it (locals, parameters, `self` attributes, globals) blocks
    on every method call but the ones listed `non-blocking` (or only the ones listed
    `blocking`), and the message names the entry's `alternative`:

    ```toml
    extra-blocking-classes = ["legacy.SyncClient", { name = "legacy.Pool", non-blocking = ["size"] }]
    ```

    ## Why it is a problem
    The project knows these APIs do I/O or wait (in-house clients, legacy SDKs,
    vendored libraries) though asyncify's catalogue does not. On the event loop they
    stall every other task like any built-in blocking call.

    ## Fix
    The entry's `strategies`, `wrap` by default:
    `await asyncio.to_thread(download, key)` (`anyio.to_thread.run_sync` /
    `trio.to_thread.run_sync` in anyio/trio projects).

    ## Fix safety
    As declared by the entry: `wrap` is applied by default, except for entries marked
    `thread-affine` (objects that must stay on their thread) or `likely` (blocking
    only for some arguments), which are fixed only with `--unsafe-fixes`.
    """

    code = "AFY190"
    name = "extra-blocking-call"
    message = "`{call}` is declared blocking in extra-blocking-calls"
    noqa = ("ASYNC200",)
    EXAMPLE_CONFIG = 'extra-blocking-calls = [{ name = "mycompany.storage.download" }]'
    INVALID = (
        """\
from mycompany.storage import download


async def sync_asset(key):
    download(key)
""",
    )
    VALID = (
        """\
import asyncio

from mycompany.storage import download


async def sync_asset(key):
    await asyncio.to_thread(download, key)
""",
    )
