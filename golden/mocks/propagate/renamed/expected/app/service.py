from pathlib import Path

from app import profiles
from app.profiles import Store


async def serve(path: Path) -> str:
    return (await profiles.load_profile_async(path)).upper()


async def fetch(store: Store, path: Path) -> int:
    return len(await store.fetch(path))
