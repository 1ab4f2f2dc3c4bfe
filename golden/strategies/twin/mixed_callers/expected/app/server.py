from pathlib import Path

from app.settings import load_settings as load
from app.settings import load_settings_async as load_async


async def serve(path: Path) -> str:
    settings = await load_async(path)
    return f"serving on {settings['port']}"
