from pathlib import Path

import app
from app.profiles import profile_name_sync as name_of


async def serve(path: Path) -> dict[str, str]:
    return {"profile": app.load_profile_sync(path), "name": name_of(path)}
