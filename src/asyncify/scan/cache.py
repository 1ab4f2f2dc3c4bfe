"""The per-file scan cache and the whole-result cache in ``.asyncify_cache/``.

**What a result depends on** is in the cache file's name: asyncify's version and the
stat signature of its own source files (so an edited checkout never reads an older
scanner's summaries), the interpreter (implementation and exact version: a file that
3.11 cannot parse is not an error on 3.13), the catalogue, the working directory (paths
in summaries are relative to it) and, for whole results, the full configuration and the
paths given. An interpreter never reads another one's entries, file errors included.

**Freshness.** An entry records the file's stamp (size, mtime, ctime, inode) as taken
*before* the content was read, the time it was read, and the content's digest. The stamp
alone proves the file unchanged only when it is identical and older than the read by more
than ``RACY_NS``; otherwise (a stamp that changed, or one too recent to tell: coarse
timestamps, an edit within the same clock tick as the scan, the racy-git problem) the
content is hashed and compared. ctime is part of the stamp because no tool can set it:
an edit that restores size and mtime still changes it (on POSIX; Windows reports the
creation time there, which is why the racy rule exists too). A whole result is saved
only when no file of the tree was racy when it was stamped.

The cache file is written atomically (temporary file, then rename), so concurrent runs
never see a torn file: the last writer wins. A cache that cannot be read or is corrupt is
ignored. The pickle is authenticated with a per-user key kept outside the project,
because a cache directory shipped inside a repository must not be able to run code.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
import secrets
import sys
import tempfile
import time
from pathlib import Path
from typing import BinaryIO, NamedTuple

import asyncify
from asyncify.parsing import LOWERING_VERSION
from asyncify.scan import codec

CACHE_DIR = ".asyncify_cache"
_FORMAT = 4
RACY_NS = 2_000_000_000
"""A stamp this close to the time its content was read cannot prove freshness (2 s covers
FAT's 2-second mtimes and every coarser-than-nanosecond file system clock)."""
_RESULT_FILES_KEPT = 8
_SCAN_CACHES_KEPT = 4
"""Whole results kept per cache directory (one per distinct set of paths checked)."""


class FileStamp(NamedTuple):
    """What ``stat`` says about a file's version."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int

    @classmethod
    def of(cls, path: str) -> FileStamp | None:
        try:
            info = os.stat(path)
        except OSError:
            return None
        return cls(info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)

    def racy(self, read_ns: int) -> bool:
        """Too close to ``read_ns`` for the stamp to prove the content unchanged since."""
        return max(self.mtime_ns, self.ctime_ns) >= read_ns - RACY_NS


class CacheEntry(NamedTuple):
    """One file's scan result as the cache knows it (``blob``: the worker's encoded
    ``ScanResult``, stored as is; read from the blob file only when a run needs it)."""

    stamp: FileStamp
    read_ns: int
    """When the content with ``digest`` was read (wall clock, ns)."""
    digest: str
    module: str
    blob: bytes | None = None
    """Set for a result of this run; None for one still in the blob file."""
    offset: int = 0
    length: int = 0
    check: bytes = b""
    """The blob's digest, kept in the signed index: a blob is decoded only if it matches."""

    def trusted(self, stamp: FileStamp) -> bool:
        """The stamp alone proves the file is the one scanned."""
        return stamp == self.stamp and not stamp.racy(self.read_ns)


def content_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def file_digest(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            return content_digest(handle.read())
    except OSError:
        return None


def tool_fingerprint() -> str:
    """asyncify's version and files, and the interpreter: what makes the same input scan
    differently. The files' stat signature covers an edited checkout of one version."""
    digest = hashlib.sha256()
    identity = (
        f"{asyncify.__version__}|{codec.FORMAT}|{LOWERING_VERSION}|"
        f"{sys.implementation.name}|{sys.version}|{sys.hexversion}"
    )
    digest.update(identity.encode())
    package = os.path.dirname(os.path.abspath(asyncify.__file__))
    for directory, folders, files in os.walk(package, followlinks=True):
        folders.sort()
        for name in sorted(files):
            if name.endswith((".py", ".toml")):
                path = os.path.join(directory, name)
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                digest.update(f"{os.path.relpath(path, package)}|{info.st_size}|{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:32]


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
    """Cached scan results of one project, for one tool, interpreter and catalogue.

    Two files: a small signed index (path -> stamp, digest, module, where the blob is and
    the blob's own digest) and a blob file with the encoded results end to end. A run
    reads the index and only the blobs it uses (a one-file check reads one), and a save
    writes a new blob file, then the index that names it, then removes the old one; a
    run still reading the old one keeps it open.
    """

    def __init__(self, directory: Path, fingerprint: str) -> None:
        self.directory = directory
        self.stem = f"scan-{hashlib.sha256(fingerprint.encode()).hexdigest()[:16]}"
        self.file = directory / f"{self.stem}.index"
        self.entries: dict[str, CacheEntry] = {}
        self._key = _user_key()
        self._dirty = False
        self._blobs: BinaryIO | None = None

    def load(self) -> None:
        loaded = read_signed(self.file, self._key)
        if not (isinstance(loaded, tuple) and len(loaded) == 3 and loaded[0] == _FORMAT):
            return
        _, blobs_name, entries = loaded
        if not isinstance(entries, dict) or not isinstance(blobs_name, str) or os.sep in blobs_name:
            return
        try:
            self._blobs = open(self.directory / blobs_name, "rb")  # noqa: SIM115  (kept open for reads; closed by save)
        except OSError:
            return
        self.entries = entries

    def fresh(self, path: str, module: str) -> bytes | None:
        """The stored result of ``path`` if the file is provably the one scanned."""
        entry = self.entries.get(path)
        if entry is None or entry.module != module:
            return None
        stamp = FileStamp.of(path)
        if stamp is None:
            return None
        if not entry.trusted(stamp):
            read_ns = time.time_ns()
            if file_digest(path) != entry.digest:
                return None
            entry = entry._replace(stamp=stamp, read_ns=read_ns)
            self.put(path, entry)
        return self._blob(entry)

    def _blob(self, entry: CacheEntry) -> bytes | None:
        if entry.blob is not None:
            return entry.blob
        if self._blobs is None:
            return None
        try:
            blob = os.pread(self._blobs.fileno(), entry.length, entry.offset)
        except OSError:
            return None
        return blob if hashlib.blake2b(blob, digest_size=16).digest() == entry.check else None

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
        """Write the blobs, then the index naming them; any failure leaves the old pair."""
        if not self._dirty or not self._key:
            self.close()
            return
        blobs_name = f"{self.stem}.{secrets.token_hex(8)}.blobs"
        index: dict[str, CacheEntry] = {}
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with open(self.directory / blobs_name, "wb") as out:
                offset = 0
                for path, entry in self.entries.items():
                    blob = self._blob(entry)
                    if blob is None:
                        continue
                    out.write(blob)
                    check = hashlib.blake2b(blob, digest_size=16).digest()
                    index[path] = entry._replace(blob=None, offset=offset, length=len(blob), check=check)
                    offset += len(blob)
        except OSError:
            self.close()
            return
        self.close()
        written = write_signed(self.directory, self.file, (_FORMAT, blobs_name, index), self._key)
        for old in self.directory.glob(f"{self.stem}.*.blobs"):
            if (old.name != blobs_name) == written:
                with contextlib.suppress(OSError):
                    old.unlink()
        self._prune()

    def _prune(self) -> None:
        """Keep the caches of the ``_SCAN_CACHES_KEPT`` most recent keys (two interpreters
        checking one project keep theirs; each edit of an asyncify checkout makes a new key)."""
        with contextlib.suppress(OSError):
            indexes = sorted(self.directory.glob("scan-*.index"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
            stale = [p.name.removesuffix(".index") for p in indexes[_SCAN_CACHES_KEPT:]]
            for old in [*self.directory.glob("scan-*.pickle"), *(self.directory / f"{stem}.index" for stem in stale)]:
                old.unlink(missing_ok=True)
            for stem in stale:
                for blobs in self.directory.glob(f"{stem}.*.blobs"):
                    blobs.unlink(missing_ok=True)

    def close(self) -> None:
        if self._blobs is not None:
            self._blobs.close()
            self._blobs = None


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


def write_signed(directory: Path, file: Path, value: object, key: bytes) -> bool:
    """Pickle ``value`` into ``file`` atomically, signed; a failure leaves no trace."""
    if not key:
        return False
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
        return False
    return True


class ResultCache:
    """The whole check result of an unchanged tree, so a warm run only stats files.

    One file per fingerprint (tool, interpreter, configuration, paths given), so that
    checking one file does not evict the result of checking the project; the oldest
    beyond ``_RESULT_FILES_KEPT`` are removed. The key inside covers every discovered
    file's path, module and stamp; any difference falls back to the per-file cache.
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
        self._prune()

    def _prune(self) -> None:
        try:
            results = sorted(self.directory.glob("result-*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
            for old in results[_RESULT_FILES_KEPT:]:
                old.unlink()
        except OSError:
            return


class TreeKey(NamedTuple):
    """A digest of the discovered files' paths, modules and stamps."""

    digest: str
    racy: bool
    """Some stamp was too recent to prove its file unchanged: do not save a result under it."""


def tree_key(files: list[tuple[str, str]]) -> TreeKey:
    """The key of ``(path, module)`` pairs with each file's stamp, taken now."""
    stamped_ns = time.time_ns()
    racy = False
    digest = hashlib.sha256()
    for path, module in files:
        stamp = FileStamp.of(path)
        if stamp is None:
            digest.update(f"{path}\0missing\n".encode())
            continue
        racy = racy or stamp.racy(stamped_ns)
        digest.update(f"{path}\0{module}\0{stamp.size}\0{stamp.mtime_ns}\0{stamp.ctime_ns}\0{stamp.inode}\n".encode())
    return TreeKey(digest.hexdigest(), racy)
