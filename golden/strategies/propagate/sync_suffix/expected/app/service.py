from pathlib import Path

import app
from app.profiles import profile_name_async as name_of


async def serve(path: Path) -> dict[str, str]:
    return {"profile": await app.load_profile_async(path), "name": await name_of(path)}
