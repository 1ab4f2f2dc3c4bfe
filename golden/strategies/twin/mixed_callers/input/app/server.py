from pathlib import Path

from app.settings import load_settings as load


async def serve(path: Path) -> str:
    settings = load(path)
    return f"serving on {settings['port']}"
