"""Diffs of planned rewrites: a patch for tools (``--diff``), hunks for people.

The patch is computed on the file's *bytes* (original bytes against
``source.encode(new_text)``), not on decoded text, so that what ``git apply`` and
``patch -p1`` match is exactly what is on disk: the BOM sits in the first context line,
a ``\\r`` stays at the end of every CRLF line, a latin-1 file's patch carries latin-1
bytes, and a file without a final newline gets git's ``\\ No newline at end of file``
marker. Lines are split after ``\\n`` only, as ``git`` and ``patch`` do (``str.splitlines``
would also split on form feeds and other separators that the tools ignore).

Hunks for people (``--dry-run``, ``-i``) are the same computation over text, rendered
by ``asyncify.review.render``.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import AnyStr, Generic

from asyncify.fix_files import FileFix

CONTEXT = 3
NO_NEWLINE = "\\ No newline at end of file"


@dataclass(frozen=True, slots=True)
class Hunk(Generic[AnyStr]):
    """Lines ``old_start:old_stop`` (0-based, stop exclusive) become ``new_start:new_stop``.

    ``lines`` are ``(tag, line)`` with tag ``" "``, ``"-"`` or ``"+"``; each line keeps
    its own ending (``\\n``, ``\\r\\n`` or none for a last line without a newline).
    """

    old_start: int
    old_stop: int
    new_start: int
    new_stop: int
    lines: tuple[tuple[str, AnyStr], ...]

    def header(self) -> str:
        return f"@@ -{_range(self.old_start, self.old_stop)} +{_range(self.new_start, self.new_stop)} @@"

    def touches_old(self, first: int, last: int) -> bool:
        """Whether original lines ``first..last`` (1-based, inclusive) lie in this hunk."""
        return first - 1 < self.old_stop and last > self.old_start

    def touches_new(self, first: int, last: int) -> bool:
        return first - 1 < self.new_stop and last > self.new_start


def split_lines(data: AnyStr) -> list[AnyStr]:
    """Lines with their endings, split after each ``\\n`` only."""
    newline = "\n" if isinstance(data, str) else b"\n"
    lines = data.split(newline)
    out = [line + newline for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out


def hunks(old: Sequence[AnyStr], new: Sequence[AnyStr], context: int = CONTEXT) -> list[Hunk[AnyStr]]:
    """Unified-diff hunks between two line lists (``difflib``'s grouping, no junk heuristic)."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    result: list[Hunk[AnyStr]] = []
    for group in matcher.get_grouped_opcodes(context):
        lines: list[tuple[str, AnyStr]] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [(" ", line) for line in old[i1:i2]]
                continue
            lines += [("-", line) for line in old[i1:i2]]
            lines += [("+", line) for line in new[j1:j2]]
        first, last = group[0], group[-1]
        result.append(Hunk(first[1], last[2], first[3], last[4], tuple(lines)))
    return result


def _range(start: int, stop: int) -> str:
    """The ``start,length`` of a hunk header, as ``diff -u`` writes it."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start if length == 0 else start + 1},{length}"


def text_hunks(file_fix: FileFix, new_text: str | None = None) -> list[Hunk[str]]:
    """Hunks from the original text to ``new_text`` (default: the fully fixed text)."""
    after = file_fix.text if new_text is None else new_text
    return hunks(split_lines(file_fix.source.text), split_lines(after))


def file_patch(display: str, old: bytes, new: bytes) -> bytes:
    """A unified diff of one file with ``a/``/``b/`` paths; empty when nothing differs."""
    found = hunks(split_lines(old), split_lines(new))
    if not found:
        return b""
    name = display.replace("\\", "/").encode("utf-8", "surrogateescape")
    if any(c in name for c in b" \t"):
        name += b"\t"  # as git does: `patch` would otherwise end the name at the space
    out = [b"--- a/" + name + b"\n", b"+++ b/" + name + b"\n"]
    for hunk in found:
        out.append(hunk.header().encode("ascii") + b"\n")
        for tag, line in hunk.lines:
            out.append(tag.encode("ascii") + line)
            if not line.endswith(b"\n"):
                out.append(b"\n" + NO_NEWLINE.encode("ascii") + b"\n")
    return b"".join(out)


def patch_for(file_fix: FileFix, new_text: str | None = None) -> bytes:
    """The patch that turns the file on disk into the rewritten file, byte for byte."""
    source = file_fix.source
    after = source.encode(file_fix.text if new_text is None else new_text)
    return file_patch(file_fix.display, source.data, after)
