from pathlib import Path

from app.loader import EvalSetLoader


async def slice_scripts(root: Path, name: str) -> list[str]:
    loader = EvalSetLoader(root)
    return await loader.get_slice_scripts_async(name)
