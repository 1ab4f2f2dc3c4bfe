from pathlib import Path

from app import profiles
from app.profiles import Store


async def serve(path: Path) -> str:
    return profiles.load_profile_sync(path).upper()


async def fetch(store: Store, path: Path) -> int:
    return len(store.fetch(path))
