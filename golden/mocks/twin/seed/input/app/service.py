from pathlib import Path

from app.loader import EvalSetLoader


async def slice_scripts(root: Path, name: str) -> list[str]:
    loader = EvalSetLoader(root)
    return loader.get_slice_scripts(name)
