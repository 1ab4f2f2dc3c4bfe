import tomllib
from pathlib import Path


async def settings(path: Path):
    with path.open("rb") as f:
        conf = tomllib.load(f)
    with open(path) as f:
        text_conf = tomllib.load(f)
    return conf, text_conf
