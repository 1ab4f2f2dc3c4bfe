from asyncify.rules.base import Rule


class ObservedBlockingCall(Rule):
    """Seen at run time: a call in async code blocked the event loop while the tests ran.

    ## What it finds
    A call in an `async def` of the project whose callee blocked the event loop while
    the project's tests ran with `pytest --asyncify-runtime=report.json`, and that static
    analysis does not report: the blocking happens inside code asyncify does not analyse
    (an installed library, a vendored SDK, an internal package outside the checked paths).
    `asyncify check --runtime report.json` reports it at the call in project code, with
    the observed chain: the project's frames, the library's frames folded, and the
    blocking primitive at the bottom (`socket.socket.recv`, `os.stat`, `time.sleep`),
    plus how often and in which tests it happened.

    ## Why it is a problem
    The library call runs on the event loop thread, so its network, file or lock wait
    stalls every other task exactly as a blocking call in the project's own code would.
    No static tool sees it, because the blocking call is not in the project's source.

    ## Fix
    `wrap`: `quote = await asyncio.to_thread(fetch_quote, symbol)` (`anyio`/`trio`:
    `to_thread.run_sync`), run by `asyncify fix --runtime report.json`. When the
    blocking happens inside an *awaited* library coroutine, there is no call to move to
    a thread: the finding says so, and the fix belongs in the library (or an async
    alternative to it).

    ## Fix safety
    As for any `wrap`: safe unless the callee uses thread-affine objects (a blocking
    `sqlite3` primitive marks the finding thread-affine, fixed only with
    `--unsafe-fixes`) or needs the event loop's thread. The report is dropped where the
    code changed since the test run (content hash, then the call's text in the same
    function), so a fix never lands on a call that moved; re-run the tests to refresh it.
    """

    code = "AFY300"
    name = "observed-blocking-call"
    message = "`{call}` blocked the event loop while the tests ran (seen at run time)"
    indirect = True  # the blocking happens below the reported call; no catalogue entry names it
    observed = True
    INVALID = (
        """\
from vendor_sdk import fetch_quote  # blocks on a socket inside the SDK


async def latest_price(symbol):
    quote = fetch_quote(symbol)
    return quote.price
""",
    )
    VALID = (
        """\
import asyncio

from vendor_sdk import fetch_quote


async def latest_price(symbol):
    quote = await asyncio.to_thread(fetch_quote, symbol)
    return quote.price
""",
    )
