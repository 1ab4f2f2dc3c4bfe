from pathlib import Path

from app import loader
from app.loader import EvalSetLoader


async def slice_scripts(root: Path, name: str) -> list[str]:
    return await EvalSetLoader(root).get_slice_scripts_async(name)


async def manifest(path: Path) -> str:
    return (await loader.read_manifest_async(path)).strip()


def count_scripts(root: Path, name: str) -> int:
    return len(EvalSetLoader(root).get_slice_scripts(name))
