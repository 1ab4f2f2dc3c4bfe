from pathlib import Path

from app import loader
from app.loader import EvalSetLoader


async def slice_scripts(root: Path, name: str) -> list[str]:
    return EvalSetLoader(root).get_slice_scripts(name)


async def manifest(path: Path) -> str:
    return loader.read_manifest(path).strip()


def count_scripts(root: Path, name: str) -> int:
    return len(EvalSetLoader(root).get_slice_scripts(name))
