"""Downloads eval scripts into a cache, verifying hashes (violation 4)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Awaitable, Callable

Fetch = Callable[[str], Awaitable[bytes]]


class EvalDownloader:
    def __init__(self, cache_dir: Path, fetch: Fetch) -> None:
        self.cache_dir = cache_dir
        self.fetch = fetch

    def _compute_sha256(self, file_path: Path) -> str:
        digest = hashlib.sha256()
        with file_path.open("rb") as f:
            for chunk in iter(lambda: f.read(4096), b""):
                digest.update(chunk)
        return digest.hexdigest()

    async def download_scripts(self, names: list[str], hash_manifest: dict[str, str] | None = None) -> list[Path]:
        downloaded = []
        for name in names:
            cached_path = self.cache_dir / name
            if cached_path.exists() and hash_manifest:
                existing_hash = self._compute_sha256(cached_path)
                if existing_hash == hash_manifest.get(name):
                    downloaded.append(cached_path)
                    continue
            content = await self.fetch(name)
            cached_path.write_bytes(content)
            if hash_manifest:
                actual_hash = self._compute_sha256(cached_path)
                if actual_hash != hash_manifest.get(name):
                    raise ValueError(f"hash mismatch for {name}")
            downloaded.append(cached_path)
        return downloaded
