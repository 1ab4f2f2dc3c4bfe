from asyncify.rules.base import Rule


class BlockingTimezone(Rule):
    """Loading a time zone on the event loop reads its data file from disk.

    ## What it finds
    Calls in an `async def` to `zoneinfo.ZoneInfo(key)` and `pytz.timezone(name)`.

    ## Why it is a problem
    Both look the zone up in the system's (or the `tzdata` package's) zone files the first
    time a key is asked for: a file open and read in the calling thread. zoneinfo caches
    the result, so the cost is paid once per key, but it is paid on the event loop, and
    Home Assistant reports such calls as blocking I/O.

    ## Fix
    `wrap` (default): `tz = await asyncio.to_thread(zoneinfo.ZoneInfo, key)`. Better: load
    the zones the program needs once, before the loop starts, and keep them.

    ## Fix safety
    Safe: the returned zone object is immutable and may be used from any thread.
    """

    code = "AFY109"
    name = "blocking-timezone"
    message = "`{call}` reads a time zone file on the event loop"
    INVALID = (
        """\
import zoneinfo


async def local_time(key, moment):
    return moment.astimezone(zoneinfo.ZoneInfo(key))
""",
    )
    VALID = (
        """\
import asyncio
import zoneinfo


async def local_time(key, moment):
    zone = await asyncio.to_thread(zoneinfo.ZoneInfo, key)
    return moment.astimezone(zone)
""",
    )
