"""AFY108 blocking-file-object: methods of open file objects in async code.

Golden detection file: each expected finding is marked at the end of its line.
"""

import io
import tempfile
from io import BufferedReader, TextIOWrapper
from typing import IO, BinaryIO, Optional, TextIO

LOG = open("/var/log/app.log", "a")  # module level: not on the loop


async def annotated(source: TextIO, sink: BinaryIO, raw: IO[bytes], wrapper: io.TextIOWrapper) -> None:
    source.readline()  # error: AFY108
    sink.write(b"x")  # error: AFY108
    raw.read(16)  # error: AFY108
    wrapper.flush()  # error: AFY108
    # asking the object about itself does no I/O
    source.fileno()
    sink.seekable()


async def optional_forms(a: Optional[TextIO], b: BufferedReader | None, c: "TextIOWrapper | None" = None) -> None:
    a.read()  # error: AFY108
    b.read()  # error: AFY108
    c.read()  # error: AFY108


async def from_openers(path: str) -> str:
    handle = open(path)  # error: AFY101
    text = handle.read()  # error: AFY108
    handle.close()  # error: AFY108
    spool = tempfile.TemporaryFile()  # error: AFY105
    spool.write(b"data")  # error: AFY108
    return text


async def module_level_handle(line: str) -> None:
    LOG.write(line)  # error: AFY108


class Recorder:
    def __init__(self, path: str) -> None:
        self.out = open(path, "w")
        self.sink: TextIO | None = None

    async def record(self, line: str) -> None:
        self.out.write(line)  # error: AFY108
        if self.sink is not None:
            self.sink.write(line)  # error: AFY108


def sync_outer(stream: TextIO) -> None:
    async def inner() -> None:
        stream.read()  # error: AFY108

    del inner
