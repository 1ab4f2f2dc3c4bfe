"""Reading a Python file the way the interpreter would: bytes, encoding, text.

The encoding comes from the BOM or the coding cookie (PEP 263); the BOM and the line
endings are remembered so that a rewrite can write the file back exactly as it was.
"""

from __future__ import annotations

import errno
import io
import os
import re
import stat
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*[-\w.]+")
"""PEP 263's coding cookie (the pattern ``tokenize`` uses)."""

_NO_COOKIE = " (and no coding cookie declares another encoding)"

_LINE_BREAK = re.compile(rb"\r\n|\r|\n")

_ASCII_SAMPLE = "# -*- coding: x -*-\nimport a_b.c as d0  # (x, y) = [1]; z: int = {'k': 2}\n"
"""The ASCII characters of Python syntax: an encoding named in a cookie must keep them."""


class SourceError(Exception):
    """The file cannot be read or decoded; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A decoded file and what is needed to encode it back byte for byte."""

    path: Path
    data: bytes
    text: str
    encoding: str
    bom: bool

    def encode(self, text: str) -> bytes:
        """``text`` back to bytes in the file's own encoding (BOM included)."""
        encoding = "utf-8" if self.encoding == "utf-8-sig" else self.encoding
        body = text.encode(encoding)
        return (b"\xef\xbb\xbf" + body) if self.bom else body


def decode_source(path: Path, data: bytes) -> SourceFile:
    """Decode ``data`` using its BOM or coding cookie; ``SourceError`` when impossible.

    The messages say what is wrong and where (line, byte) in one line: binary content,
    UTF-16/32 (which Python does not read as source), bytes that are not valid in the
    encoding, an unknown or contradictory coding cookie.

    A decoded file always encodes back to exactly ``data`` (``SourceFile.encode``), so a
    rewrite changes only what it edits: an encoding that does not round-trip (UTF-7
    drops optional shift terminators, say) is refused rather than silently rewritten.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        raise SourceError("encoded as UTF-16 or UTF-32, which Python cannot read as source")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise SourceError(f"not Python source: binary content (a NUL byte at line {_line(data, nul)})")
    try:
        encoding, cookie = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        raise SourceError(_detection_problem(data, error.msg or "")) from None
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        codec = "utf-8" if encoding == "utf-8-sig" else encoding  # (the -sig codec writes a BOM)
        if _has_cookie(cookie) and _ASCII_SAMPLE.encode(codec) != _ASCII_SAMPLE.encode("ascii"):
            raise SourceError(
                f"the coding cookie names {encoding!r}, which is not ASCII-compatible (Python rejects it)"
            )
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        if _has_cookie(cookie):
            raise SourceError(_invalid(encoding + " (declared by its coding cookie)", data, error)) from None
        raise SourceError(_invalid(encoding, data, error) + _NO_COOKIE) from None
    except (LookupError, UnicodeEncodeError):
        raise SourceError(f"the coding cookie names {encoding!r}, which is not a text encoding") from None
    source = SourceFile(path=path, data=data, text=text, encoding=encoding, bom=bom)
    if encoding != "utf-8" and source.encode(text) != data:
        # Strict UTF-8 always round-trips; other codecs may have several spellings.
        raise SourceError(
            f"{encoding} does not encode this text back to the same bytes, so it cannot be rewritten safely"
        )
    return source


def read_source(path: Path) -> SourceFile:
    """Read and decode ``path``; every failure becomes a ``SourceError``.

    Only a regular file (or a symlink to one) is read: a FIFO or a device named
    ``x.py`` would block or never end, so it is refused before it is opened.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        pass  # reading below reports it the same way
    else:
        if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
            raise SourceError("not a regular file (a FIFO, socket or device)")
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise SourceError("is a directory, not a Python file") from None
    except FileNotFoundError:
        raise SourceError("no such file (or a broken symlink)") from None
    except PermissionError:
        raise SourceError("permission denied") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise SourceError("symbolic link loop") from None
        raise SourceError(f"cannot read: {error.strerror or error}") from None
    except MemoryError:
        raise SourceError("too large to read into memory") from None
    return decode_source(path, data)


def _detection_problem(data: bytes, message: str) -> str:
    """``tokenize.detect_encoding``'s complaint as a message for the user."""
    if message.startswith("unknown encoding"):
        name = message.partition(":")[2].strip()
        return f"unknown encoding {name!r} in the coding cookie"
    if message.startswith("encoding problem"):
        return "a UTF-8 byte order mark and a coding cookie for another encoding"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return _invalid("utf-8", data, error) + _NO_COOKIE
    return f"cannot decode: {message}"


def _invalid(encoding: str, data: bytes, error: UnicodeDecodeError) -> str:
    """``invalid UTF-8 at line 3, byte 0xff: invalid start byte``."""
    name = encoding.replace("utf-8-sig", "UTF-8").replace("utf-8", "UTF-8")
    start = error.start
    if isinstance(error.object, bytes) and len(error.object) < len(data) and data.endswith(error.object):
        start += len(data) - len(error.object)  # utf-8-sig decodes what follows the BOM
    byte = data[start : start + 1].hex()
    return f"invalid {name} at line {_line(data, start)}, byte 0x{byte}: {error.reason}"


def _has_cookie(lines: Sequence[bytes]) -> bool:
    return any(_COOKIE.match(line) for line in lines)


def _line(data: bytes, offset: int) -> int:
    """The line of ``offset`` as Python counts lines (``\\n``, ``\\r\\n`` or a lone ``\\r``)."""
    return len(_LINE_BREAK.findall(data, 0, offset)) + 1
