from asyncify.rules.base import Rule


class BlockingDataFile(Rule):
    """Reading or writing a whole image or data file on the event loop.

    ## What it finds
    In an `async def`: `PIL.Image.open` and an image's `save`/`load`; pandas'
    `read_csv`, `read_json`, `read_excel`, `read_parquet`, `read_table`, `read_pickle`,
    `read_feather`, `read_sql`, and a DataFrame's `to_csv`, `to_json`, `to_excel`,
    `to_parquet`, `to_pickle`, `to_sql`. `to_csv`, `to_json` and `to_parquet` return the
    data when given no path, and PIL's calls are as often given an in-memory
    `io.BytesIO`, so those are `likely` (and a helper calling them is not reported).

    ## Why it is a problem
    Each call reads or writes a whole file (or queries a database) and decodes or encodes
    it in the calling thread, often for a long time: the event loop stops meanwhile.

    ## Fix
    `wrap` (default): `frame = await asyncio.to_thread(pandas.read_csv, path)`. Better,
    for several steps, one sync helper that loads, transforms and saves, awaited through
    `asyncio.to_thread`.

    ## Fix safety
    Safe for a DataFrame or image used by one task at a time. `likely` findings are fixed
    only with `--unsafe-fixes`.
    """

    code = "AFY170"
    name = "blocking-data-file"
    message = "`{call}` reads or writes a whole data file on the event loop"
    INVALID = (
        """\
import pandas


async def load_prices(path):
    return pandas.read_csv(path)
""",
    )
    VALID = (
        """\
import asyncio

import pandas


async def load_prices(path):
    return await asyncio.to_thread(pandas.read_csv, path)
""",
    )
