"""Reading a Python file the way the interpreter would: bytes, encoding, text.

The encoding comes from the BOM or the coding cookie (PEP 263); the BOM and the line
endings are remembered so that a rewrite can write the file back exactly as it was.
"""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass
from pathlib import Path


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
    """Decode ``data`` using its BOM or coding cookie; ``SourceError`` when impossible."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as bad:
            line = data.count(b"\n", 0, bad.start) + 1
            raise SourceError(f"invalid utf-8 at line {line} and no coding cookie: {bad.reason}") from None
        raise SourceError(f"cannot decode: {error.msg}") from None
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SourceError(f"invalid {encoding} at line {line}: {error.reason}") from None
    except LookupError:
        raise SourceError(f"unknown encoding {encoding!r} in coding cookie") from None
    if bom and text.startswith("\ufeff"):
        text = text[1:]
    return SourceFile(path=path, data=data, text=text, encoding=encoding, bom=bom)


def read_source(path: Path) -> SourceFile:
    """Read and decode ``path``; every failure becomes a ``SourceError``."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise SourceError("is a directory, not a Python file") from None
    except FileNotFoundError:
        raise SourceError("no such file (or a broken symlink)") from None
    except PermissionError:
        raise SourceError("permission denied") from None
    except OSError as error:
        raise SourceError(f"cannot read: {error.strerror or error}") from None
    return decode_source(path, data)
