"""Blocking calls on the event loop's thread, recorded with their stacks (blockbuster underneath).

blockbuster replaces the blocking functions (``time.sleep``, ``os.stat`` and friends,
socket and SSL methods, file reads and writes, ``sqlite3``, lock waits, ``input``) with
wrappers that look for a running asyncio loop in the calling thread and then ask the
function's ``can_block_predicate`` whether this call may block. The recorder puts its
own predicate in front of each: it keeps blockbuster's exceptions (its predicates for
non-blocking sockets and console writes, its allow-list of frames such as imports,
pytest's assertion rewriting, coverage and debuggers), records the stack, and always
answers "may block". So blockbuster never raises: the tests run as they would without
the plugin, and every blocking call is seen, not just the first of a test.

To blockbuster's list the recorder adds ``io.BufferedReader.read1`` and ``readline``
(with the predicate of ``read``): reading a file line by line (``for line in f``,
``f.readline()``) goes through them and not through the ``read`` blockbuster wraps.

Stacks are kept raw (code objects and instruction offsets) and deduplicated while the
tests run; mapping them to project call sites happens once, at the end
(``asyncify.runtime.mapping``).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import CodeType, FrameType
from typing import Any

ALWAYS_ALLOWED: list[tuple[str, Iterable[str]]] = [
    ("linecache.py", {"updatecache", "checkcache"}),
    ("<frozen linecache>", {"updatecache", "checkcache"}),
]
"""Reads that fill ``linecache`` (tracebacks, and the source tracebacks asyncio's debug
mode takes of every future) are not the project's I/O; blockbuster allows their
``os.stat`` already, and the recorder allows their reads too."""

RawFrame = tuple[CodeType, int, int, str]
"""A frame as recorded: its code, instruction offset (``f_lasti``), line, module name."""


@dataclass
class RawEvent:
    """One distinct stack that reached one blocking primitive; how often, in which tests."""

    primitive: str
    frames: tuple[RawFrame, ...]
    """Outermost first; the blockbuster wrapper and the recorder are not included."""
    count: int = 0
    tests: set[str] = field(default_factory=set)


def capture(frame: FrameType | None, skip: Callable[[str], bool] = lambda _: False) -> tuple[RawFrame, ...]:
    """The stack from ``frame`` outwards, as raw frames, outermost first."""
    frames: list[RawFrame] = []
    while frame is not None:
        code = frame.f_code
        if not skip(code.co_filename):
            frames.append(
                (code, frame.f_lasti, frame.f_lineno or code.co_firstlineno, frame.f_globals.get("__name__", ""))
            )
        frame = frame.f_back
    frames.reverse()
    return tuple(frames)


class _Quiet(threading.local):
    depth = 0


class Recorder:
    """Activates blockbuster in recording mode; ``events`` holds what was seen."""

    def __init__(self) -> None:
        import blockbuster.blockbuster as implementation
        from blockbuster import BlockBuster  # the optional dependency: only when enabled

        self._blockbuster = BlockBuster()
        _add_line_reads(self._blockbuster.functions)
        self._wrapper_file = implementation.__file__ or ""
        self.events: dict[tuple[str, tuple[tuple[CodeType, int], ...]], RawEvent] = {}
        self.test: str | None = None
        self._quiet = _Quiet()
        for name, function in self._blockbuster.functions.items():
            function.can_block_predicate = self._predicate(
                name, function.can_block_predicate, function.can_block_functions
            )

    @staticmethod
    def detector() -> str:
        from importlib.metadata import PackageNotFoundError, version

        try:
            return f"blockbuster {version('blockbuster')}"
        except PackageNotFoundError:
            return "blockbuster"

    def start(self) -> None:
        self._blockbuster.activate()

    def stop(self) -> None:
        self._blockbuster.deactivate()

    def quiet(self) -> _QuietBlock:
        """``with recorder.quiet():`` blocking calls made by the plugin itself are not events."""
        return _QuietBlock(self._quiet)

    def _predicate(
        self, primitive: str, allowed: Callable[..., bool], allowed_in: list[tuple[str, Iterable[str]]]
    ) -> Callable[..., bool]:
        def may_block(*args: Any, **kwargs: Any) -> bool:
            if allowed(*args, **kwargs) or self._quiet.depth:
                return True
            stack = capture(sys._getframe(1), self._is_wrapper)
            if not _exempt(stack, allowed_in) and not _exempt(stack, ALWAYS_ALLOWED):
                self._record(primitive, stack)
            return True

        return may_block

    def _is_wrapper(self, filename: str) -> bool:
        return filename == self._wrapper_file or filename == __file__

    def _record(self, primitive: str, stack: tuple[RawFrame, ...]) -> None:
        key = (primitive, tuple((code, lasti) for code, lasti, _, _ in stack))
        event = self.events.get(key)
        if event is None:
            event = self.events[key] = RawEvent(primitive, stack)
        event.count += 1
        if self.test is not None:
            event.tests.add(self.test)


def _add_line_reads(functions: dict[str, Any]) -> None:
    import io

    from blockbuster import BlockBusterFunction

    read = functions.get("io.BufferedReader.read")
    if read is None:
        return
    for method in ("read1", "readline"):
        functions.setdefault(
            f"io.BufferedReader.{method}",
            BlockBusterFunction(
                io.BufferedReader,
                method,
                can_block_functions=list(read.can_block_functions),
                can_block_predicate=read.can_block_predicate,
            ),
        )


def _exempt(stack: tuple[RawFrame, ...], allowed_in: list[tuple[str, Iterable[str]]]) -> bool:
    """blockbuster's own allow-list: a frame of one of these functions is on the stack."""
    for code, _, _, _ in stack:
        filename = code.co_filename.replace("\\", "/")
        for suffix, functions in allowed_in:
            if filename.endswith(suffix) and code.co_name in functions:
                return True
    return False


class _QuietBlock:
    def __init__(self, state: _Quiet) -> None:
        self._state = state

    def __enter__(self) -> None:
        self._state.depth += 1

    def __exit__(self, *_: object) -> None:
        self._state.depth -= 1
