"""A baseline of accepted findings, so a project with findings can turn asyncify on today.

``check --write-baseline FILE`` records every current finding; ``check --baseline FILE``
(or ``baseline = "FILE"`` in ``[tool.asyncify]``) then reports only findings the file
does not account for, and says how many it accepted.

A finding is recognised by what it *is*, never by where it sits, so code moving up or
down a file (or being reformatted) leaves it baselined:

- the file, relative to the baseline's directory (a moved file's findings are new);
- the rule code and the enclosing function (``Class.method``);
- the call as written, with whitespace, line breaks and trailing commas normalised
  (``open( path ,\\n)`` is ``open(path)``): two different calls in one function stay apart;
- for an indirect finding, the chain of helpers down to the blocking API (a helper that
  now blocks through a different path is a new finding).

Identical findings (the same call twice in one function) are counted: the baseline
accepts as many as it recorded, and a third copy is new. The file is JSON, sorted, one
entry per distinct finding, so its diff in a pull request shows what was accepted.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asyncify.findings import Finding
from asyncify.scan.source import SourceError, read_source

BASELINE_VERSION = 1
DEFAULT_NAME = ".asyncify-baseline.json"

_SPACE = re.compile(r"\s+")
_AROUND_PUNCTUATION = re.compile(r" ?([()\[\]{},]) ?")
_TRAILING_COMMA = re.compile(r",([)\]}])")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class BaselineError(Exception):
    """The baseline file cannot be read or is not one; the message names the file."""


Key = tuple[str, str, str, str, tuple[str, ...]]
"""``(path, code, function, call text, chain)``: what identifies a finding in a baseline."""


@dataclass(frozen=True)
class Baseline:
    """The accepted findings of ``path``: how many of each key."""

    path: Path
    entries: Counter[Key]


@dataclass(frozen=True)
class Applied:
    """What a baseline left: the new findings, how many it accepted, and how many of its
    entries (for files checked in this run) matched nothing any more."""

    findings: list[Finding]
    baselined: int
    unmatched: int


def normalise_call(text: str) -> str:
    """The call as written, independent of layout: ``f( a,\\n  b, )`` -> ``f(a,b)``."""
    text = _SPACE.sub(" ", text).strip()
    text = _AROUND_PUNCTUATION.sub(r"\1", text)
    return _TRAILING_COMMA.sub(r"\1", text)


class CallTexts:
    """The source text of each finding's call, each file read once."""

    def __init__(self) -> None:
        self._lines: dict[str, list[str] | None] = {}

    def text(self, finding: Finding) -> str:
        lines = self._file(finding.path)
        span = finding.span
        if lines is None or not 1 <= span.line <= span.end_line <= len(lines):
            return finding.call
        if span.line == span.end_line:
            raw = lines[span.line - 1][span.column - 1 : span.end_column - 1]
        else:
            parts = [lines[span.line - 1][span.column - 1 :], *lines[span.line : span.end_line - 1]]
            raw = "\n".join([*parts, lines[span.end_line - 1][: span.end_column - 1]])
        return normalise_call(raw) or finding.call

    def _file(self, path: str) -> list[str] | None:
        if path not in self._lines:
            try:
                self._lines[path] = _LINE_BREAK.split(read_source(Path(path)).text)
            except SourceError:
                self._lines[path] = None
        return self._lines[path]


def finding_key(finding: Finding, directory: Path, texts: CallTexts) -> Key:
    path = Path(os.path.relpath(os.path.abspath(finding.path), os.path.abspath(directory))).as_posix()
    chain = tuple(link.function for link in finding.chain)
    return (path, finding.code, finding.function, texts.text(finding), chain)


def write_baseline(path: Path, findings: Iterable[Finding]) -> int:
    """Record ``findings`` in ``path`` (atomically); returns how many were recorded."""
    texts = CallTexts()
    counts = Counter(finding_key(f, path.parent, texts) for f in findings)
    entries = [
        {"path": key[0], "code": key[1], "function": key[2], "call": key[3], "chain": list(key[4]), "count": count}
        for key, count in sorted(counts.items())
    ]
    document = {"version": BASELINE_VERSION, "tool": "asyncify", "findings": entries}
    _write_atomically(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return sum(counts.values())


def read_baseline(path: Path) -> Baseline:
    """The baseline in ``path``; ``BaselineError`` with one line when it is not one."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        hint = f"create it with `asyncify check --write-baseline {path}`"
        raise BaselineError(f"{path}: baseline not found ({hint})") from None
    except (OSError, UnicodeDecodeError) as error:
        raise BaselineError(f"{path}: cannot read the baseline: {error}") from None
    except json.JSONDecodeError as error:
        raise BaselineError(f"{path}: not a baseline: invalid JSON ({error})") from None
    if not isinstance(document, dict) or document.get("version") != BASELINE_VERSION:
        raise BaselineError(f"{path}: not an asyncify baseline of version {BASELINE_VERSION}")
    entries: Counter[Key] = Counter()
    for index, entry in enumerate(document.get("findings", [])):
        key = _entry_key(entry)
        if key is None:
            raise BaselineError(f"{path}: finding {index + 1} of the baseline is malformed")
        entries[key[0]] += key[1]
    return Baseline(path, entries)


def apply_baseline(findings: Sequence[Finding], baseline: Baseline, checked: Sequence[Path]) -> Applied:
    """The findings ``baseline`` does not account for. ``checked``: the paths of this run,
    so that entries of files not checked are not counted as gone."""
    remaining = Counter(baseline.entries)
    texts = CallTexts()
    new: list[Finding] = []
    for finding in findings:
        key = finding_key(finding, baseline.path.parent, texts)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            new.append(finding)
    roots = [os.path.abspath(p) for p in checked]
    unmatched = sum(
        count
        for key, count in remaining.items()
        if count > 0 and _under(os.path.abspath(baseline.path.parent / key[0]), roots)
    )
    return Applied(new, len(findings) - len(new), unmatched)


def _entry_key(entry: Any) -> tuple[Key, int] | None:
    if not isinstance(entry, dict):
        return None
    fields = [entry.get(name) for name in ("path", "code", "function", "call")]
    chain, count = entry.get("chain", []), entry.get("count", 1)
    if not all(isinstance(field, str) for field in fields) or not isinstance(chain, list):
        return None
    if not all(isinstance(link, str) for link in chain) or not isinstance(count, int) or count < 1:
        return None
    path, code, function, call = (str(field) for field in fields)
    return (path, code, function, call, tuple(chain)), count


def _under(path: str, roots: Sequence[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def _write_atomically(path: Path, text: str) -> None:
    """A temporary file beside ``path``, then a rename: never a half-written baseline."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        mode = os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
