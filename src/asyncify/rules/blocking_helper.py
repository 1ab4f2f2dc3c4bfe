from asyncify.rules.base import Rule


class BlockingHelper(Rule):
    """Indirect: a sync helper called from async code reaches a blocking call.

    ## What it finds
    A call from an `async def` to a synchronous function or method of the project that,
    directly or through further project helpers, makes a blocking call. The finding
    carries the call chain down to the blocking primitive
    (`run_doctor -> _load_config_sync -> open()`). flake8-async and ruff look at one call
    in one file and cannot see these.

    ## Why it is a problem
    The helper runs on the event loop thread, so its file, network or process I/O stalls
    every other task exactly as a direct call would, only less visibly.

    ## Fix
    `wrap` (default): `config = await asyncio.to_thread(_load_config_sync, path)`.
    `twin`: an async twin `_load_config_async` beside the helper, awaited by async
    callers while sync callers keep the original. `propagate`: the helper becomes
    `async def` and `await` is carried up through its callers.

    ## Fix safety
    `wrap` is safe unless the helper touches thread-affine objects (sqlite3 connections,
    GUI toolkits). A helper whose blocking path is guarded by a parameter that the call
    site passes as `None` is not reported.
    """

    code = "AFY200"
    name = "blocking-helper-call"
    message = "`{call}` is a sync helper that blocks the event loop (indirect)"
    indirect = True
    INVALID = (
        """\
import tomllib


def _load_config_sync(path):
    with open(path, "rb") as handle:
        return tomllib.load(handle)


async def run_doctor(path):
    return _load_config_sync(path)
""",
    )
    VALID = (
        """\
import asyncio
import tomllib


def _load_config_sync(path):
    with open(path, "rb") as handle:
        return tomllib.load(handle)


async def run_doctor(path):
    return await asyncio.to_thread(_load_config_sync, path)
""",
        """\
import tomllib


def _parse_config(text):
    return tomllib.loads(text)  # no I/O anywhere below


async def run_doctor(text):
    return _parse_config(text)
""",
    )
