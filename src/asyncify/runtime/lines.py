"""Which lines of the project's async code the tests executed ("exercised").

Only code objects of project files are traced, and of those only ``async def`` bodies
and the comprehensions, generator expressions and lambdas that may sit inside them:
that is where findings are. Each line is needed once.

- Python 3.12+: ``sys.monitoring``. ``PY_START`` is watched globally and disabled per
  code object at its first start; project async code gets local ``LINE`` events, each
  disabled after its first report. Cost: one callback per code object and per line.
- Python 3.11: ``sys.settrace``, installed only while an asyncio event loop runs
  (``BaseEventLoop.run_forever``, in whichever thread), returning a line tracer only
  for the traced code objects. Every Python call made while a loop runs still goes
  through the global trace function: that is most of the plugin's overhead on 3.11.
  When another tracer is installed (coverage, a debugger) the loop is not traced, and
  if one replaces this tracer during a loop the lines are incomplete: the report then
  says ``lines_traced: false`` rather than claim code was not exercised. Loops that
  are not ``asyncio.BaseEventLoop`` subclasses (uvloop) are not traced on 3.11.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Callable
from types import CodeType, FrameType
from typing import Any

from asyncify.runtime.places import Place, Places

ASYNC_FLAGS = 0x80 | 0x100 | 0x200
"""``CO_COROUTINE | CO_ITERABLE_COROUTINE | CO_ASYNC_GENERATOR``."""
INLINE_NAMES = frozenset({"<listcomp>", "<setcomp>", "<dictcomp>", "<genexpr>", "<lambda>"})
TOOL_IDS = (4, 3)
"""``sys.monitoring`` tool ids that CPython leaves unassigned."""


def is_async(code: CodeType) -> bool:
    return bool(code.co_flags & ASYNC_FLAGS)


class LineTracer:
    """Collects ``lines[filename]``: the lines executed in traced code objects."""

    def __init__(self, places: Places) -> None:
        self.places = places
        self.lines: dict[str, set[int]] = {}
        self.complete = False
        self._tool: int | None = None
        self._started: list[CodeType] = []
        self._tracer: Callable[[FrameType, str, Any], Any] | None = None
        self._original_run_forever: Callable[[asyncio.BaseEventLoop], None] | None = None

    def wanted(self, code: CodeType) -> bool:
        if not (is_async(code) or code.co_name in INLINE_NAMES):
            return False
        return self.places.quick(code.co_filename) is Place.PROJECT

    def start(self) -> bool:
        """Start tracing; False when it is not possible (another tracer is active)."""
        if sys.version_info >= (3, 12):
            self.complete = self._start_monitoring()
        else:
            self.complete = self._start_settrace()
        return self.complete

    def stop(self) -> None:
        if sys.version_info >= (3, 12):
            self._stop_monitoring()
        else:
            self._stop_settrace()

    # -- Python 3.11: sys.settrace, only while an asyncio loop runs -------------------------------

    def _start_settrace(self) -> bool:
        if sys.gettrace() is not None:
            return False
        decided: dict[CodeType, Callable[[FrameType, str, Any], Any] | None] = {}

        def local_for(lines: set[int]) -> Callable[[FrameType, str, Any], Any]:
            def local(frame: FrameType, event: str, arg: Any) -> Any:
                if event == "line":
                    lines.add(frame.f_lineno)
                return local

            return local

        def tracer(frame: FrameType, event: str, arg: Any) -> Any:
            code = frame.f_code
            try:
                local = decided[code]
            except KeyError:
                local = decided[code] = (
                    local_for(self.lines.setdefault(code.co_filename, set())) if self.wanted(code) else None
                )
            return local

        original = asyncio.BaseEventLoop.run_forever
        watch = self

        def run_forever(loop: asyncio.BaseEventLoop) -> None:
            previous = sys.gettrace()
            if previous is not None and previous is not tracer:
                watch.complete = False  # someone else traces this thread: lines would be missed
                return original(loop)
            sys.settrace(tracer)
            try:
                return original(loop)
            finally:
                if sys.gettrace() is tracer:
                    sys.settrace(previous)
                else:
                    watch.complete = False

        self._tracer = tracer
        self._original_run_forever = original
        asyncio.BaseEventLoop.run_forever = run_forever  # type: ignore[method-assign,assignment]
        return True

    def _stop_settrace(self) -> None:
        if self._original_run_forever is not None:
            asyncio.BaseEventLoop.run_forever = self._original_run_forever  # type: ignore[method-assign,assignment]
            self._original_run_forever = None
        self._tracer = None

    # -- Python 3.12+: sys.monitoring ------------------------------------------------------------

    def _start_monitoring(self) -> bool:
        if sys.version_info < (3, 12):
            return False
        monitoring = sys.monitoring
        tool = next((t for t in TOOL_IDS if monitoring.get_tool(t) is None), None)
        if tool is None:
            return False
        monitoring.use_tool_id(tool, "asyncify")
        self._tool = tool
        events = monitoring.events
        started = self._started
        busy = threading.local()

        def on_start(code: CodeType, offset: int) -> Any:
            if getattr(busy, "on", False):
                return None
            busy.on = True
            try:
                if self.wanted(code):
                    self.lines.setdefault(code.co_filename, set())
                    monitoring.set_local_events(tool, code, events.LINE)
                    started.append(code)
            finally:
                busy.on = False
            return monitoring.DISABLE

        def on_line(code: CodeType, line: int) -> Any:
            self.lines[code.co_filename].add(line)
            return monitoring.DISABLE

        monitoring.register_callback(tool, events.PY_START, on_start)
        monitoring.register_callback(tool, events.LINE, on_line)
        monitoring.set_events(tool, events.PY_START)
        return True

    def _stop_monitoring(self) -> None:
        if sys.version_info < (3, 12) or self._tool is None:
            return
        monitoring = sys.monitoring
        monitoring.set_events(self._tool, 0)
        for code in self._started:
            monitoring.set_local_events(self._tool, code, 0)
        monitoring.register_callback(self._tool, monitoring.events.PY_START, None)
        monitoring.register_callback(self._tool, monitoring.events.LINE, None)
        monitoring.free_tool_id(self._tool)
        self._tool = None
