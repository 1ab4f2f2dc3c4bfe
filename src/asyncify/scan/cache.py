"""The per-file scan cache in ``.asyncify_cache/``.

An entry is reused when the file's size and mtime are unchanged, or when they changed
but its content digest did not. The cache file is written atomically (temporary file,
then rename), so concurrent runs never see a torn file: the last writer wins. A cache
that cannot be read, is corrupt, or was written by another tool version or configuration
is ignored. The pickle is authenticated with a per-user key kept outside the project,
because a cache directory shipped inside a repository must not be able to run code.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from asyncify.scan.result import ScanResult

CACHE_DIR = ".asyncify_cache"
_FORMAT = 1


@dataclass(frozen=True, slots=True)
class CacheEntry:
    size: int
    mtime_ns: int
    digest: str
    module: str
    result: ScanResult


def _user_key() -> bytes:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "asyncify"
    key_file = base / "cache-key"
    try:
        return key_file.read_bytes()
    except OSError:
        pass
    try:
        base.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        descriptor, temporary = tempfile.mkstemp(dir=base)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(key)
        os.replace(temporary, key_file)
        return key_file.read_bytes()
    except OSError:
        return b""


class ScanCache:
    """Cached scan results of one project, for one tool version and configuration."""

    def __init__(self, directory: Path, fingerprint: str) -> None:
        self.directory = directory
        self.file = directory / f"scan-{hashlib.sha256(fingerprint.encode()).hexdigest()[:16]}.pickle"
        self.entries: dict[str, CacheEntry] = {}
        self._key = _user_key()
        self._dirty = False

    def load(self) -> None:
        if not self._key:
            return
        try:
            blob = self.file.read_bytes()
        except OSError:
            return
        signature, payload = blob[:32], blob[32:]
        if not hmac.compare_digest(signature, hmac.new(self._key, payload, hashlib.sha256).digest()):
            return
        try:
            version, entries = pickle.loads(payload)
        except Exception:  # corrupt or from an incompatible version: start afresh
            return
        if version == _FORMAT and isinstance(entries, dict):
            self.entries = entries

    def get(self, path: str, stat: os.stat_result, module: str) -> CacheEntry | None:
        entry = self.entries.get(path)
        if entry is None or entry.module != module:
            return None
        if entry.size == stat.st_size and entry.mtime_ns == stat.st_mtime_ns:
            return entry
        return None

    def get_by_digest(self, path: str, digest: str, module: str) -> CacheEntry | None:
        entry = self.entries.get(path)
        if entry is not None and entry.digest == digest and entry.module == module:
            return entry
        return None

    def put(self, path: str, entry: CacheEntry) -> None:
        self.entries[path] = entry
        self._dirty = True

    def retain(self, paths: set[str]) -> None:
        """Forget files no longer in the run, so the cache does not grow forever."""
        stale = [p for p in self.entries if p not in paths]
        for path in stale:
            del self.entries[path]
        self._dirty = self._dirty or bool(stale)

    def save(self) -> None:
        if not self._dirty or not self._key:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            ignore = self.directory / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# created by asyncify\n*\n", encoding="utf-8")
            payload = pickle.dumps((_FORMAT, self.entries), protocol=pickle.HIGHEST_PROTOCOL)
            signature = hmac.new(self._key, payload, hashlib.sha256).digest()
            descriptor, temporary = tempfile.mkstemp(dir=self.directory, prefix=".tmp-")
            try:
                with os.fdopen(descriptor, "wb") as handle:
                    handle.write(signature + payload)
                os.replace(temporary, self.file)
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:
            return
