import tomllib
from pathlib import Path

import aiofiles


async def settings(path: Path):
    async with aiofiles.open(path, "rb") as f:
        conf = tomllib.loads((await f.read()).decode())
    async with aiofiles.open(path) as f:
        text_conf = tomllib.loads(await f.read())
    return conf, text_conf
