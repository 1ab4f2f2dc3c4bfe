"""AFY101 blocking-open: calls that open a file, in async code.

Golden detection file: each expected finding is marked at the end of its line.
"""

import asyncio
import bz2
import codecs
import gzip
import io
import lzma
import os
import tarfile
import zipfile
from io import open as io_open
from pathlib import Path
from pathlib import Path as P


async def builtin_open(path: str) -> str:
    # the builtin, as a context manager and called inline
    with open(path, encoding="utf-8") as handle:  # error: AFY101
        text = handle.read()  # error: AFY108
    header = open(path).readline()  # error: AFY101, AFY108
    return text + header


async def write_report(path: str, lines: list[str]) -> None:
    # write mode is the same call
    with open(path, "w") as out:  # error: AFY101
        out.writelines(lines)  # error: AFY108


async def async_generator(path: str):  # type: ignore[no-untyped-def]
    # iterating the handle happens in an async generator
    for line in open(path):  # error: AFY101
        yield line.rstrip()


async def io_module(path: str) -> bytes:
    # `io.open` through the module and through `from io import open as io_open`
    with io.open(path, "rb") as raw:  # error: AFY101
        first = raw.read(16)  # error: AFY108
    with io_open(path, "rb") as raw:  # error: AFY101
        return first + raw.read()  # error: AFY108


async def path_open(path: Path, name: str) -> None:
    # `Path.open` is an open-like (AFY101, not AFY102)
    with path.open("a") as log:  # error: AFY101
        log.write("started\n")  # error: AFY108
    with P(name).open() as handle:  # error: AFY101
        handle.read()  # error: AFY108


async def other_openers(path: str) -> None:
    # codecs, compressed files, archives (these read the index when constructed)
    codecs.open(path, encoding="latin-1").close()  # error: AFY101, AFY108
    with gzip.open(path + ".gz", "rt") as compressed:  # error: AFY101
        compressed.read()  # error: AFY108
    bz2.open(path + ".bz2").close()  # error: AFY101, AFY108
    lzma.open(path + ".xz").close()  # error: AFY101, AFY108
    with tarfile.open(path + ".tar") as archive:  # error: AFY101
        archive.getnames()
    with zipfile.ZipFile(path + ".zip") as bundle:  # error: AFY101
        bundle.namelist()


async def descriptor(fd: int) -> None:
    # wrapping a descriptor in a file object
    with os.fdopen(fd, "w") as stream:  # error: AFY101
        stream.write("x")  # error: AFY108


async def offloaded_wrongly(path: str) -> str:
    # the receiver of the callable is evaluated on the loop: open() runs before to_thread
    return await asyncio.to_thread(open(path).read)  # error: AFY101


class Journal:
    def __init__(self, path: str) -> None:
        self.path = path

    async def append(self, entry: str) -> None:
        # in an async method
        with open(self.path, "a") as journal:  # error: AFY101
            journal.write(entry)  # error: AFY108

    async def __aenter__(self) -> "Journal":
        # in an async dunder
        self.handle = open(self.path)  # error: AFY101
        return self
