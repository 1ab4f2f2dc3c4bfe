"""Compliant code: file I/O offloaded to threads. asyncify must report nothing here."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path


class FilesystemStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _write_sync(self, name: str, payload: dict[str, object]) -> None:
        (self.root / name).write_text(json.dumps(payload), encoding="utf-8")

    async def save(self, name: str, payload: dict[str, object]) -> None:
        await asyncio.to_thread(self._write_sync, name, payload)

    async def load(self, name: str) -> dict[str, object]:
        text = await asyncio.to_thread((self.root / name).read_text, encoding="utf-8")
        return json.loads(text)
