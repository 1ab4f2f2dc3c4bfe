import asyncio
from pathlib import Path


def load_settings(path: Path) -> dict[str, str]:
    """Called from async code (server) and from sync code (cli): both must keep working."""
    settings = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("=")
        settings[key.strip()] = value.strip()
    return settings


async def load_settings_async(path: Path) -> dict[str, str]:
    """Called from async code (server) and from sync code (cli): both must keep working."""
    settings = {}
    for line in (
        await asyncio.to_thread(path.read_text, encoding="utf-8")
    ).splitlines():
        key, _, value = line.partition("=")
        settings[key.strip()] = value.strip()
    return settings
