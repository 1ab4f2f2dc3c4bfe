"""Raw stacks -> the report: each blocking call mapped to the call site in project code.

The call site of a blocking event is in the **innermost frame of an ``async def`` in
project code** (``asyncify.runtime.places``): the call that frame was making when,
somewhere below it, the primitive blocked. Its exact span comes from the instruction
the frame was executing (``co_positions``), so it is the same span ``check`` reports
for that call. A comprehension or generator expression running inside the async
function (its own frame on 3.11) is part of it: the call site is the call inside.
Everything below the call site is the chain: the callee, further frames (project or
library), down to the primitive. A stack with no project async frame (a test's own
``time.sleep``, a library's background task) is kept as *unmapped*.
"""

from __future__ import annotations

import dis
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import CodeType

from asyncify.runtime.document import (
    CallSite,
    Chain,
    FileRecord,
    Frame,
    RuntimeReport,
    SlowStep,
    Unmapped,
    sort_chains,
)
from asyncify.runtime.lines import is_async
from asyncify.runtime.places import Place, Places
from asyncify.runtime.recorder import RawEvent, RawFrame
from asyncify.runtime.stalls import RawStep

COMPREHENSIONS = frozenset({"<listcomp>", "<setcomp>", "<dictcomp>", "<genexpr>"})
UNMAPPED_FRAMES = 6
"""How many frames an unmapped event keeps, from the innermost test or project frame down."""
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

SiteKey = tuple[str, str, int, int, int, int]


def text_digest(text: str) -> str:
    """The content hash of a source file's decoded text (the report's ``sha256``)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def split_lines(text: str) -> list[str]:
    """Lines as the interpreter numbers them (``\\r\\n``, ``\\r`` and ``\\n`` end one)."""
    return _LINE_BREAK.split(text)


def span_text(lines: list[str], span: tuple[int, int, int, int]) -> str:
    """The source at ``span`` (1-based lines and character columns, end exclusive)."""
    line, column, end_line, end_column = span
    if column == 0 or end_line > len(lines):
        return ""
    if line == end_line:
        return lines[line - 1][column - 1 : end_column - 1]
    return "\n".join(
        [lines[line - 1][column - 1 :], *lines[line : end_line - 1], lines[end_line - 1][: end_column - 1]]
    )


def qualify(module: str, qualname: str) -> str:
    return f"{module}.{qualname}" if module else qualname


@dataclass
class _Site:
    module: str
    text: str
    awaited: bool
    count: int = 0
    tests: set[str] = field(default_factory=set)
    chains: dict[tuple[str, tuple[Frame, ...]], int] = field(default_factory=dict)


@dataclass
class RunFacts:
    """What the session knows besides the events: for the report's header."""

    root: Path
    tests: int
    asyncify: str
    python: str
    detector: str
    slow_callback_duration: float | None
    lines_traced: bool


class Mapper:
    """Builds a ``RuntimeReport`` from the recorder's, the stall watch's and the tracer's data."""

    def __init__(self, places: Places) -> None:
        self.places = places
        self._sources: dict[str, list[str] | None] = {}
        self._digests: dict[str, str] = {}

    def build(
        self,
        events: Iterable[RawEvent],
        steps: Iterable[RawStep],
        lines: Mapping[str, set[int]],
        facts: RunFacts,
    ) -> RuntimeReport:
        events, steps = list(events), list(steps)
        filenames = {code.co_filename for e in events for code, _, _, _ in e.frames}
        filenames |= {code.co_filename for s in steps for code, _, _, _ in s.frames}
        self.places.confirm(filenames | set(lines))
        sites: dict[SiteKey, _Site] = {}
        unmapped: dict[tuple[str, tuple[Frame, ...]], Unmapped] = {}
        for event in events:
            self._map_event(event, sites, unmapped)
        call_sites = tuple(
            CallSite(
                path=key[0],
                module=site.module,
                function=key[1],
                line=key[2],
                column=key[3],
                end_line=key[4],
                end_column=key[5],
                text=site.text,
                awaited=site.awaited,
                count=site.count,
                tests=tuple(sorted(site.tests)),
                chains=sort_chains(Chain(p, n, f) for (p, f), n in site.chains.items()),
            )
            for key, site in sorted(sites.items())
        )
        slow = self._slow_steps(steps, call_sites)
        files = self._files(call_sites, slow, lines, facts.lines_traced)
        return RuntimeReport(
            root=str(facts.root),
            tests=facts.tests,
            asyncify=facts.asyncify,
            python=facts.python,
            detector=facts.detector,
            slow_callback_duration=facts.slow_callback_duration,
            lines_traced=facts.lines_traced,
            files=files,
            call_sites=call_sites,
            slow_steps=slow,
            unmapped=tuple(sorted(unmapped.values(), key=lambda u: (-u.count, u.primitive))),
        )

    # -- events ----------------------------------------------------------------------------------

    def _map_event(
        self, event: RawEvent, sites: dict[SiteKey, _Site], unmapped: dict[tuple[str, tuple[Frame, ...]], Unmapped]
    ) -> None:
        frames = event.frames
        places = [self.places.quick(code.co_filename) for code, _, _, _ in frames]
        owner = next(
            (i for i in range(len(frames) - 1, -1, -1) if places[i] is Place.PROJECT and is_async(frames[i][0])), None
        )
        if owner is None:
            self._unmapped(event, places, unmapped)
            return
        caller = owner
        filename = frames[owner][0].co_filename
        while (
            caller + 1 < len(frames)
            and frames[caller + 1][0].co_name in COMPREHENSIONS
            and frames[caller + 1][0].co_filename == filename
        ):
            caller += 1
        callee = frames[caller + 1 :]
        span = self._span(frames[caller])
        path = self.places.relative(filename)
        key: SiteKey = (path, frames[owner][0].co_qualname, *span)
        site = sites.get(key)
        if site is None:
            site = sites[key] = _Site(
                module=frames[owner][3],
                text=self._text(filename, span),
                awaited=bool(callee) and is_async(callee[0][0]),
            )
        site.count += event.count
        site.tests |= event.tests
        chain = tuple(self._frame(raw, places[caller + 1 + i]) for i, raw in enumerate(callee))
        site.chains[(event.primitive, chain)] = site.chains.get((event.primitive, chain), 0) + event.count

    def _unmapped(
        self, event: RawEvent, places: list[Place], unmapped: dict[tuple[str, tuple[Frame, ...]], Unmapped]
    ) -> None:
        frames = event.frames
        start = next(
            (i for i in range(len(frames) - 1, -1, -1) if places[i] is not Place.LIBRARY),
            max(0, len(frames) - UNMAPPED_FRAMES),
        )
        kept = tuple(
            self._frame(raw, places[start + i]) for i, raw in enumerate(frames[start : start + UNMAPPED_FRAMES])
        )
        key = (event.primitive, kept)
        known = unmapped.get(key)
        count = event.count + (known.count if known else 0)
        tests = tuple(sorted({*event.tests, *(known.tests if known else ())}))
        unmapped[key] = Unmapped(event.primitive, count, tests, kept)

    def _frame(self, raw: RawFrame, place: Place) -> Frame:
        code, _, line, module = raw
        filename = code.co_filename
        path = self.places.relative(filename) if place is not Place.LIBRARY else filename
        return Frame(qualify(module, code.co_qualname), path, line, place is Place.PROJECT, code.co_firstlineno)

    # -- positions and sources -------------------------------------------------------------------

    def _lines(self, filename: str) -> list[str] | None:
        if filename not in self._sources:
            from asyncify.scan.source import SourceError, read_source

            try:
                text = read_source(Path(filename)).text
            except (SourceError, OSError):
                self._sources[filename] = None
            else:
                self._sources[filename] = split_lines(text)
                self._digests[filename] = text_digest(text)
        return self._sources[filename]

    def _span(self, raw: RawFrame) -> tuple[int, int, int, int]:
        """1-based line and character columns of the call the frame was making.

        ``(line, 0, line, 0)`` when the interpreter keeps no column information.
        """
        code, lasti, line, _ = raw
        position = call_position(code, lasti)
        if position is None:
            return (line, 0, line, 0)
        start, end, column, end_column = position
        lines = self._lines(code.co_filename)
        return (start, _chars(lines, start, column) + 1, end, _chars(lines, end, end_column) + 1)

    def _text(self, filename: str, span: tuple[int, int, int, int]) -> str:
        """The source of the call at ``span`` (what relocates it if the file changes)."""
        lines = self._lines(filename)
        return span_text(lines, span) if lines is not None else ""

    # -- slow steps and files ----------------------------------------------------------------------

    def _slow_steps(self, steps: list[RawStep], sites: tuple[CallSite, ...]) -> tuple[SlowStep, ...]:
        """Steps located in project async code; a step that a recorded blocking call in the
        same function and test explains is left out."""
        tested = {(s.path, s.function): set(s.tests) for s in sites}
        merged: dict[tuple[str, str, int], SlowStep] = {}
        for step in steps:
            owner = next(
                (
                    raw
                    for raw in reversed(step.frames)
                    if is_async(raw[0]) and self.places.quick(raw[0].co_filename) is Place.PROJECT
                ),
                None,
            )
            if owner is None:
                continue
            path = self.places.relative(owner[0].co_filename)
            function = owner[0].co_qualname
            if step.tests and step.tests <= tested.get((path, function), set()):
                continue
            key = (path, function, owner[2])
            known = merged.get(key)
            merged[key] = SlowStep(
                path,
                function,
                owner[2],
                step.count + (known.count if known else 0),
                max(step.seconds, known.seconds if known else 0.0),
                tuple(sorted({*step.tests, *(known.tests if known else ())})),
            )
        return tuple(sorted(merged.values(), key=lambda s: (s.path, s.line, s.function)))

    def _files(
        self, sites: tuple[CallSite, ...], steps: tuple[SlowStep, ...], lines: Mapping[str, set[int]], traced: bool
    ) -> dict[str, FileRecord]:
        by_path: dict[str, str] = {}
        for filename in {*lines, *self._sources}:
            if self.places.quick(filename) is Place.PROJECT:
                by_path[self.places.relative(filename)] = filename
        wanted = {s.path for s in sites} | {s.path for s in steps} | set(by_path)
        files: dict[str, FileRecord] = {}
        for path in sorted(wanted):
            filename = by_path.get(path) or str(self.places.root / path)
            self._lines(filename)
            digest = self._digests.get(filename)
            if digest is None:
                continue
            exercised = tuple(sorted(lines.get(filename, ()))) if traced else None
            files[path] = FileRecord(digest, exercised)
        return files


def call_position(code: CodeType, lasti: int) -> tuple[int, int, int, int] | None:
    """``(line, end_line, byte column, end byte column)`` of the call at instruction ``lasti``.

    A frame stopped in a call points at the ``CALL``; one awaiting (``await f()``,
    ``async with f()``) or iterating (``for x in f()``) points at the ``SEND`` or
    ``FOR_ITER`` that follows it, whose span encloses the call: then the last call
    before it, inside that span, is the one. Otherwise the instruction's own span
    (``for x in items:`` iterating a lazy object made elsewhere).
    """
    if lasti < 0:
        return None
    instructions = _instructions(code)
    index = next((i for i in range(len(instructions) - 1, -1, -1) if instructions[i].offset <= lasti), None)
    if index is None:
        return None
    current = _positions(instructions[index])
    if current is None or _is_call(instructions[index]):
        return current
    for earlier in reversed(instructions[:index]):
        position = _positions(earlier)
        if _is_call(earlier) and position is not None and _within(position, current):
            return position
    return current


_INSTRUCTIONS: dict[CodeType, list[dis.Instruction]] = {}


def _instructions(code: CodeType) -> list[dis.Instruction]:
    found = _INSTRUCTIONS.get(code)
    if found is None:
        found = _INSTRUCTIONS[code] = list(dis.get_instructions(code))
    return found


def _is_call(instruction: dis.Instruction) -> bool:
    return instruction.opname.startswith("CALL") and not instruction.opname.startswith("CALL_INTRINSIC")


def _positions(instruction: dis.Instruction) -> tuple[int, int, int, int] | None:
    position = instruction.positions
    if position is None:
        return None
    line, end_line, column, end_column = (
        position.lineno,
        position.end_lineno,
        position.col_offset,
        position.end_col_offset,
    )
    if line is None or end_line is None or column is None or end_column is None:
        return None
    return (line, end_line, column, end_column)


def _within(inner: tuple[int, int, int, int], outer: tuple[int, int, int, int]) -> bool:
    return (outer[0], outer[2]) <= (inner[0], inner[2]) and (inner[1], inner[3]) <= (outer[1], outer[3])


def _chars(lines: list[str] | None, line: int, byte_column: int) -> int:
    """``co_positions`` columns are UTF-8 byte offsets; the report counts characters."""
    if lines is None or line - 1 >= len(lines):
        return byte_column
    return len(lines[line - 1].encode("utf-8")[:byte_column].decode("utf-8", errors="ignore"))
