"""The second signal: task steps that held the loop too long (asyncio's debug mode).

blockbuster knows blocking *functions*; a loop can also stall on pure computation, or
on a blocking call it does not wrap. asyncio's debug mode times every callback and
logs ``Executing <Task ...> took 0.312 seconds`` when one exceeds the loop's
``slow_callback_duration``. While the plugin runs, every new asyncio event loop (those
of ``asyncio.run``, pytest-asyncio and anyio's asyncio backend alike) starts in debug
mode with the configured threshold, and a handler on the ``asyncio`` logger turns those
messages into *slow steps*: the task's coroutine chain, whose innermost project frame
says which function stalled and at which ``await`` the step ended.

Loops that are not ``asyncio.BaseEventLoop`` subclasses (uvloop) are not timed; a test
that calls ``loop.set_debug(False)`` turns it off for its loop; a logging configuration
that silences the ``asyncio`` logger's warnings hides the messages.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from types import CodeType, FrameType
from typing import Any

from asyncify.runtime.recorder import RawFrame

SLOW_MESSAGE = "Executing %s took %.3f seconds"
"""The message asyncio's ``BaseEventLoop._run_once`` logs for a slow callback."""


@dataclass
class RawStep:
    """One distinct place where slow steps ended."""

    frames: tuple[RawFrame, ...]
    """The task's coroutine chain, outermost first (each frame's current line)."""
    count: int = 0
    seconds: float = 0.0
    tests: set[str] = field(default_factory=set)


class StallWatch:
    """Debug mode for new loops, and the ``asyncio`` logger's slow-step messages collected."""

    def __init__(self, threshold: float, current_test: Callable[[], str | None]) -> None:
        self.threshold = threshold
        self.steps: dict[tuple[tuple[CodeType, int], ...], RawStep] = {}
        self._current_test = current_test
        self._original_init: Callable[..., None] | None = None
        self._handler = _SlowStepHandler(self)

    def start(self) -> None:
        original = asyncio.BaseEventLoop.__init__
        threshold = self.threshold

        def init(loop: asyncio.BaseEventLoop, *args: Any, **kwargs: Any) -> None:
            original(loop, *args, **kwargs)
            loop.set_debug(True)
            loop.slow_callback_duration = threshold

        self._original_init = original
        asyncio.BaseEventLoop.__init__ = init  # type: ignore[method-assign,assignment]
        logging.getLogger("asyncio").addHandler(self._handler)

    def stop(self) -> None:
        logging.getLogger("asyncio").removeHandler(self._handler)
        if self._original_init is not None:
            asyncio.BaseEventLoop.__init__ = self._original_init  # type: ignore[method-assign]
            self._original_init = None

    def record(self, seconds: float) -> None:
        """Called on the loop's thread right after a slow callback: find what it ran."""
        frames = _current_frames()
        if not frames:
            return
        key = tuple((code, lasti) for code, lasti, _, _ in frames)
        step = self.steps.get(key)
        if step is None:
            step = self.steps[key] = RawStep(frames)
        step.count += 1
        step.seconds = max(step.seconds, seconds)
        test = self._current_test()
        if test is not None:
            step.tests.add(test)


def _current_frames() -> tuple[RawFrame, ...]:
    """The coroutine chain of the handle the running loop has just run.

    asyncio logs the message inside ``_run_once`` while ``loop._current_handle`` still
    names the handle; a task step's callback is bound to its ``Task``. A plain callback
    is located by its function.
    """
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return ()
    callback = getattr(getattr(loop, "_current_handle", None), "_callback", None)
    task = getattr(callback, "__self__", None)
    if isinstance(task, asyncio.Task):
        return _coroutine_chain(task.get_coro())
    code = getattr(callback, "__code__", None)
    if isinstance(code, CodeType):
        module = getattr(callback, "__module__", "") or ""
        return ((code, -1, code.co_firstlineno, module),)
    return ()


def _coroutine_chain(coroutine: Any) -> tuple[RawFrame, ...]:
    """Each awaiting coroutine's frame, outermost first; a finished one by its code."""
    frames: list[RawFrame] = []
    seen = 0
    while coroutine is not None and seen < 200:
        seen += 1
        frame: FrameType | None = getattr(coroutine, "cr_frame", None) or getattr(coroutine, "ag_frame", None)
        if frame is None:
            frame = getattr(coroutine, "gi_frame", None)
        if frame is not None:
            frames.append(
                (
                    frame.f_code,
                    frame.f_lasti,
                    frame.f_lineno or frame.f_code.co_firstlineno,
                    frame.f_globals.get("__name__", ""),
                )
            )
        elif isinstance(getattr(coroutine, "cr_code", None), CodeType):
            code = coroutine.cr_code
            frames.append((code, -1, code.co_firstlineno, ""))
        coroutine = (
            getattr(coroutine, "cr_await", None)
            or getattr(coroutine, "gi_yieldfrom", None)
            or getattr(coroutine, "ag_await", None)
        )
    return tuple(frames)


class _SlowStepHandler(logging.Handler):
    def __init__(self, watch: StallWatch) -> None:
        super().__init__(logging.WARNING)
        self._watch = watch

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg != SLOW_MESSAGE or not isinstance(record.args, tuple) or len(record.args) != 2:
            return
        seconds = record.args[1]
        if isinstance(seconds, (int, float)) and seconds >= self._watch.threshold:
            self._watch.record(float(seconds))
