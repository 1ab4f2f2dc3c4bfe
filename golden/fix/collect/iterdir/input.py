import os
from pathlib import Path


async def listing(root: Path) -> list[str]:
    names = [child.name for child in root.iterdir()]
    for dirpath, _, files in os.walk(root):
        names.extend(files)
    return sorted(names)
