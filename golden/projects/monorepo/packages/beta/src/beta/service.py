from pathlib import Path

import alpha
from alpha.formats import render
from alpha.io import files
from alpha.io.files import settings_path

from .loader import load_all


def _summarise(root: Path) -> str:
    return render(alpha.read_settings(settings_path(root)))


async def describe(root: Path) -> str:
    text = _summarise(root)  # four calls deep: _summarise -> read_settings -> _lines -> _raw -> read_text
    where = settings_path(root)  # computes a path only: not blocking
    shown = render({"where": str(where)})  # formats only: not blocking
    return text + shown


async def reload(root: Path) -> dict[str, str]:
    direct = files.read_settings(root / "x.ini")
    everything = load_all([root])
    return {**direct, **everything}
