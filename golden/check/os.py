"""AFY103 blocking-os-call: os and os.path functions that touch the filesystem.

Golden detection file: each expected finding is marked at the end of its line. The
os.path string functions (join, basename, dirname, splitext, ...) never touch the disk
and are not reported.
"""

import os
import os.path
import os.path as osp
from os import listdir, makedirs as make_dirs
from os import path
from os import path as ospath
from os.path import getsize as size_of
from os.path import isfile


async def os_path_forms(name: str) -> int:
    # `import os` and the module attribute chain `os.path.exists`
    if not os.path.exists(name):  # error: AFY103
        return 0
    # `import os.path as osp`
    if osp.isdir(name):  # error: AFY103
        return 0
    # `from os import path` / `from os import path as ospath`
    path.getmtime(name)  # error: AFY103
    ospath.islink(name)  # error: AFY103
    # `from os.path import isfile` / `... getsize as size_of`
    if isfile(name):  # error: AFY103
        return size_of(name)  # error: AFY103
    # realpath resolves symlinks on disk
    return len(os.path.realpath(name))  # error: AFY103


async def string_functions_around(base: str, name: str) -> str:
    # join/basename are string operations; only getsize is reported
    full = os.path.join(base, os.path.basename(name))
    return f"{full}: {os.path.getsize(full)}"  # error: AFY103


async def directories(root: str) -> list[str]:
    # `from os import listdir, makedirs as make_dirs`
    make_dirs(root, exist_ok=True)  # error: AFY103
    names = listdir(root)  # error: AFY103
    # scandir and walk read the directory while iterating
    with os.scandir(root) as entries:  # error: AFY103
        names += [entry.name for entry in entries]
    for dirpath, _dirs, files in os.walk(root):  # error: AFY103
        names += files
    os.mkdir(os.path.join(root, "new"))  # error: AFY103
    os.rmdir(os.path.join(root, "old"))  # error: AFY103
    return names


async def direntry_is_file(root: str) -> list[str]:
    # A DirEntry's is_file() answers from the scandir result, but its receiver type is
    # not tracked: it is guessed from the method name as a Path method (AFY102 likely),
    # which the pathlib catalogue accepts on purpose.
    found = []
    for entry in os.scandir(root):  # error: AFY103
        if entry.is_file():  # error: AFY102 likely
            found.append(entry.path)
    return found


async def files(src: str, dst: str) -> None:
    os.stat(src).st_size  # error: AFY103
    os.rename(src, dst)  # error: AFY103
    os.replace(dst, src)  # error: AFY103
    os.remove(src)  # error: AFY103
    os.unlink(dst)  # error: AFY103
    os.symlink(src, dst)  # error: AFY103
    os.chmod(dst, 0o600)  # error: AFY103
    os.utime(dst)  # error: AFY103
    os.access(dst, os.R_OK)  # error: AFY103


async def descriptors(name: str, data: bytes) -> bytes:
    # descriptor I/O and flushing
    fd = os.open(name, os.O_RDWR)  # error: AFY103
    os.write(fd, data)  # error: AFY103
    os.fsync(fd)  # error: AFY103
    chunk = os.read(fd, 1024)  # error: AFY103
    os.close(fd)
    return chunk


async def process_state_is_not_reported() -> str:
    # getcwd and the pure helpers are not I/O worth a thread
    here = os.getcwd()
    return os.path.abspath(os.path.normpath(os.path.join(here, "x")))
