"""Blocks as ruff's isort leaves them: `import asyncio` joins the standard library."""

from __future__ import annotations

import asyncio
import os
import subprocess
from pathlib import Path

import requests

from . import settings


async def deploy(target: Path) -> None:
    await asyncio.to_thread(subprocess.run, ["make", "deploy"], check=True)
    await asyncio.to_thread(os.remove, target)
    await asyncio.to_thread(requests.post, settings.HOOK, timeout=5)
