"""The run-time report: what the pytest plugin writes and ``check --runtime`` reads.

A versioned JSON document. Within a version keys may be added, never renamed or given
another meaning; a reader refuses another ``format`` or a newer ``version``::

    {"format": "asyncify-runtime", "version": 1,
     "asyncify": "0.1.0", "python": "3.11.7", "detector": "blockbuster 1.5.29",
     "root": "/abs/project",              # paths below are relative to it (POSIX)
     "tests": 12,                         # tests run
     "slow_callback_duration": 0.1,       # null: asyncio debug mode was off
     "lines_traced": true,                # false: "exercised" is unknown (another tracer ran)
     "files": {"pkg/mod.py": {"sha256": "...", "exercised": [12, 13, 20]}},
     "call_sites": [{"path": "pkg/mod.py", "module": "pkg.mod", "function": "Client.get",
                     "line": 20, "column": 16, "end_line": 20, "end_column": 35,
                     "text": "fetch(self.url)", "awaited": false,
                     "count": 3, "tests": ["tests/test_mod.py::test_get"],
                     "chains": [{"primitive": "socket.socket.recv", "count": 3,
                                 "frames": [{"function": "lib.fetch", "path": "/abs/lib.py",
                                             "line": 8, "project": false, "defined": 5}]}]}],
     "slow_steps": [{"path": "pkg/mod.py", "function": "crunch", "line": 41,
                     "count": 1, "seconds": 0.31, "tests": ["..."]}],
     "unmapped": [{"primitive": "time.sleep", "count": 2, "tests": ["..."], "frames": [...]}]}

A *call site* is a call in the project's async code whose callee blocked the event
loop; columns are 1-based characters, end exclusive, as in ``check``'s output. Its
``chains`` are the distinct stacks seen below it: ``frames`` from the callee down to the
last Python frame, then the blocking ``primitive`` (blockbuster's name for it).
``awaited`` means the callee was a coroutine (the blocking happened inside awaited
library code, which ``wrap`` cannot move). ``files`` holds a content hash of every
project file mentioned, so that a reader can tell what changed since the run, and the
lines of async code the tests executed (``exercised``). ``slow_steps`` are task steps
asyncio's debug mode timed above ``slow_callback_duration``: ``line`` is the ``await``
the step ended at. ``unmapped`` are blocking calls on the loop with no project async
frame on the stack (in tests, fixtures or libraries' own tasks).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asyncify.config import ConfigError

REPORT_FORMAT = "asyncify-runtime"
REPORT_VERSION = 1


class RuntimeReportError(ConfigError):
    """A run-time report that cannot be read; like bad configuration, a usage error."""


@dataclass(frozen=True, slots=True)
class Frame:
    """One Python frame below a call site: qualified function, file, current line, and
    the line its function is defined at."""

    function: str
    path: str
    line: int
    project: bool
    defined: int = 0


@dataclass(frozen=True, slots=True)
class Chain:
    """One distinct stack from a call site's callee down to the blocking primitive."""

    primitive: str
    count: int
    frames: tuple[Frame, ...]


@dataclass(frozen=True, slots=True)
class CallSite:
    """A call in project async code whose callee blocked the event loop."""

    path: str
    module: str
    function: str
    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    awaited: bool
    count: int
    tests: tuple[str, ...]
    chains: tuple[Chain, ...]

    @property
    def key(self) -> tuple[str, str, int, int, int, int]:
        return (self.path, self.function, self.line, self.column, self.end_line, self.end_column)

    @property
    def primitives(self) -> tuple[str, ...]:
        return tuple(sorted({chain.primitive for chain in self.chains}))


@dataclass(frozen=True, slots=True)
class SlowStep:
    """A task step that held the loop for ``seconds`` (the longest seen) and ended at ``line``."""

    path: str
    function: str
    line: int
    count: int
    seconds: float
    tests: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Unmapped:
    """Blocking on the loop with no project async frame above it."""

    primitive: str
    count: int
    tests: tuple[str, ...]
    frames: tuple[Frame, ...]


@dataclass(frozen=True, slots=True)
class FileRecord:
    """A project file as it was during the run: its hash and the async lines executed."""

    sha256: str
    exercised: tuple[int, ...] | None = None


@dataclass(frozen=True)
class RuntimeReport:
    """The whole report; see the module docstring for the JSON form."""

    root: str
    tests: int
    asyncify: str = ""
    python: str = ""
    detector: str = ""
    slow_callback_duration: float | None = None
    lines_traced: bool = False
    files: dict[str, FileRecord] = field(default_factory=dict)
    call_sites: tuple[CallSite, ...] = ()
    slow_steps: tuple[SlowStep, ...] = ()
    unmapped: tuple[Unmapped, ...] = ()


# -- writing ---------------------------------------------------------------------------------


def _frame(frame: Frame) -> dict[str, Any]:
    return {
        "function": frame.function,
        "path": frame.path,
        "line": frame.line,
        "project": frame.project,
        "defined": frame.defined,
    }


def report_to_dict(report: RuntimeReport) -> dict[str, Any]:
    files: dict[str, Any] = {}
    for path, record in sorted(report.files.items()):
        entry: dict[str, Any] = {"sha256": record.sha256}
        if record.exercised is not None:
            entry["exercised"] = list(record.exercised)
        files[path] = entry
    return {
        "format": REPORT_FORMAT,
        "version": REPORT_VERSION,
        "asyncify": report.asyncify,
        "python": report.python,
        "detector": report.detector,
        "root": report.root,
        "tests": report.tests,
        "slow_callback_duration": report.slow_callback_duration,
        "lines_traced": report.lines_traced,
        "files": files,
        "call_sites": [
            {
                "path": site.path,
                "module": site.module,
                "function": site.function,
                "line": site.line,
                "column": site.column,
                "end_line": site.end_line,
                "end_column": site.end_column,
                "text": site.text,
                "awaited": site.awaited,
                "count": site.count,
                "tests": list(site.tests),
                "chains": [
                    {"primitive": c.primitive, "count": c.count, "frames": [_frame(f) for f in c.frames]}
                    for c in site.chains
                ],
            }
            for site in report.call_sites
        ],
        "slow_steps": [
            {
                "path": step.path,
                "function": step.function,
                "line": step.line,
                "count": step.count,
                "seconds": round(step.seconds, 4),
                "tests": list(step.tests),
            }
            for step in report.slow_steps
        ],
        "unmapped": [
            {
                "primitive": u.primitive,
                "count": u.count,
                "tests": list(u.tests),
                "frames": [_frame(f) for f in u.frames],
            }
            for u in report.unmapped
        ],
    }


def write_report(report: RuntimeReport, target: Path) -> None:
    """Write atomically (a temporary file beside ``target``, then a rename)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report_to_dict(report), indent=1, ensure_ascii=False) + "\n"
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# -- reading ---------------------------------------------------------------------------------


class _Shape(ValueError):
    """A value of the wrong type; the message names the key."""


def _get(data: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(data, dict) or key not in data:
        raise _Shape(f"missing {where}{key}")
    value = data[key]
    if isinstance(value, bool) and kind in (int, float, (int, float)):
        raise _Shape(f"{where}{key} must be a number")
    if not isinstance(value, kind):
        raise _Shape(f"{where}{key} has the wrong type")
    return value


def _strings(data: Any, key: str, where: str) -> tuple[str, ...]:
    values = _get(data, key, list, where)
    if not all(isinstance(v, str) for v in values):
        raise _Shape(f"{where}{key} must be a list of strings")
    return tuple(values)


def _frames(data: Any, where: str) -> tuple[Frame, ...]:
    return tuple(
        Frame(
            _get(f, "function", str, where),
            _get(f, "path", str, where),
            _get(f, "line", int, where),
            _get(f, "project", bool, where),
            f["defined"] if isinstance(f.get("defined"), int) else 0,
        )
        for f in _get(data, "frames", list, where)
    )


def _call_site(data: Any, index: int) -> CallSite:
    where = f"call_sites[{index}]."
    chains = tuple(
        Chain(_get(c, "primitive", str, where), _get(c, "count", int, where), _frames(c, where))
        for c in _get(data, "chains", list, where)
    )
    return CallSite(
        path=_get(data, "path", str, where),
        module=_get(data, "module", str, where),
        function=_get(data, "function", str, where),
        line=_get(data, "line", int, where),
        column=_get(data, "column", int, where),
        end_line=_get(data, "end_line", int, where),
        end_column=_get(data, "end_column", int, where),
        text=_get(data, "text", str, where),
        awaited=_get(data, "awaited", bool, where),
        count=_get(data, "count", int, where),
        tests=_strings(data, "tests", where),
        chains=chains,
    )


def report_from_dict(data: Any) -> RuntimeReport:
    """Validate and convert; raises ``ValueError`` naming what is wrong."""
    if not isinstance(data, dict) or data.get("format") != REPORT_FORMAT:
        raise _Shape(f'not an asyncify run-time report (no "format": "{REPORT_FORMAT}")')
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _Shape("missing or bad version")
    if version > REPORT_VERSION:
        raise _Shape(f"report version {version} is newer than this asyncify reads ({REPORT_VERSION}); upgrade asyncify")
    files: dict[str, FileRecord] = {}
    for path, entry in _get(data, "files", dict, "").items():
        exercised = entry.get("exercised") if isinstance(entry, dict) else None
        if exercised is not None and not (isinstance(exercised, list) and all(isinstance(n, int) for n in exercised)):
            raise _Shape(f"files[{path!r}].exercised must be a list of line numbers")
        files[str(path)] = FileRecord(
            _get(entry, "sha256", str, f"files[{path!r}]."), tuple(exercised) if exercised is not None else None
        )
    duration = data.get("slow_callback_duration")
    return RuntimeReport(
        root=_get(data, "root", str, ""),
        tests=_get(data, "tests", int, ""),
        asyncify=str(data.get("asyncify", "")),
        python=str(data.get("python", "")),
        detector=str(data.get("detector", "")),
        slow_callback_duration=float(duration) if isinstance(duration, (int, float)) else None,
        lines_traced=bool(data.get("lines_traced", False)),
        files=files,
        call_sites=tuple(_call_site(site, i) for i, site in enumerate(_get(data, "call_sites", list, ""))),
        slow_steps=tuple(
            SlowStep(
                _get(s, "path", str, f"slow_steps[{i}]."),
                _get(s, "function", str, f"slow_steps[{i}]."),
                _get(s, "line", int, f"slow_steps[{i}]."),
                _get(s, "count", int, f"slow_steps[{i}]."),
                float(_get(s, "seconds", (int, float), f"slow_steps[{i}].")),
                _strings(s, "tests", f"slow_steps[{i}]."),
            )
            for i, s in enumerate(data.get("slow_steps", []))
        ),
        unmapped=tuple(
            Unmapped(
                _get(u, "primitive", str, f"unmapped[{i}]."),
                _get(u, "count", int, f"unmapped[{i}]."),
                _strings(u, "tests", f"unmapped[{i}]."),
                _frames(u, f"unmapped[{i}]."),
            )
            for i, u in enumerate(data.get("unmapped", []))
        ),
    )


def read_report(path: Path) -> RuntimeReport:
    """The report at ``path``; any problem is one ``RuntimeReportError`` naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise RuntimeReportError(f"{path}: cannot read the run-time report: {reason}") from None
    try:
        return report_from_dict(json.loads(text))
    except json.JSONDecodeError as error:
        raise RuntimeReportError(f"{path}: not valid JSON: {error.msg} (line {error.lineno})") from None
    except (ValueError, AttributeError, TypeError) as error:
        raise RuntimeReportError(f"{path}: {error}") from None


def sort_chains(chains: Iterable[Chain]) -> tuple[Chain, ...]:
    """Most frequent first; ties by primitive, then by the frames' functions."""
    return tuple(sorted(chains, key=lambda c: (-c.count, c.primitive, [f.function for f in c.frames])))
