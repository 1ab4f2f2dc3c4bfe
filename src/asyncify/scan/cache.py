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
_FORMAT = 2


@dataclass(frozen=True, slots=True)
class CacheEntry:
    size: int
    mtime_ns: int
    digest: str
    module: str
    blob: bytes
    """The pickled ``ScanResult``: unpickled only for files the run needs."""

    def result(self) -> ScanResult:
        value: ScanResult = pickle.loads(self.blob)
        return value


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
        loaded = read_signed(self.file, self._key)
        if isinstance(loaded, tuple) and len(loaded) == 2 and loaded[0] == _FORMAT and isinstance(loaded[1], dict):
            self.entries = loaded[1]

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
        if self._dirty:
            write_signed(self.directory, self.file, (_FORMAT, self.entries), self._key)


def read_signed(file: Path, key: bytes) -> object | None:
    """The object pickled in ``file`` if its signature matches ``key``; else None."""
    if not key:
        return None
    try:
        blob = file.read_bytes()
    except OSError:
        return None
    signature, payload = blob[:32], blob[32:]
    if not hmac.compare_digest(signature, hmac.new(key, payload, hashlib.sha256).digest()):
        return None
    try:
        value: object = pickle.loads(payload)
    except Exception:  # corrupt or from an incompatible version: start afresh
        return None
    return value


def write_signed(directory: Path, file: Path, value: object, key: bytes) -> None:
    """Pickle ``value`` into ``file`` atomically, signed; a failure leaves no trace."""
    if not key:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        ignore = directory / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# created by asyncify\n*\n", encoding="utf-8")
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        signature = hmac.new(key, payload, hashlib.sha256).digest()
        descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(signature + payload)
            os.replace(temporary, file)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        return


class ResultCache:
    """The whole check result of an unchanged tree, so a warm run only stats files.

    The key covers every discovered file's path, size, mtime and module name plus the
    configuration; any difference falls back to the per-file cache.
    """

    def __init__(self, directory: Path, fingerprint: str) -> None:
        self.directory = directory
        self.file = directory / f"result-{hashlib.sha256(fingerprint.encode()).hexdigest()[:16]}.pickle"
        self._key = _user_key()

    def load(self, tree_key: str) -> object | None:
        loaded = read_signed(self.file, self._key)
        if isinstance(loaded, tuple) and len(loaded) == 3 and loaded[0] == _FORMAT and loaded[1] == tree_key:
            value: object = loaded[2]
            return value
        return None

    def save(self, tree_key: str, value: object) -> None:
        write_signed(self.directory, self.file, (_FORMAT, tree_key, value), self._key)


def tree_key(files: list[tuple[str, str]]) -> str:
    """A digest of ``(path, module)`` pairs with each file's size and mtime."""
    digest = hashlib.sha256()
    for path, module in files:
        try:
            stat = os.stat(path)
        except OSError:
            digest.update(f"{path}\0missing\n".encode())
            continue
        digest.update(f"{path}\0{module}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()
