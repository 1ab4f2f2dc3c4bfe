"""``check --runtime``: the run-time report merged into the static findings.

Every call site of the report is first located in the code as it is now:

- its file unchanged since the run (same content hash): at the recorded position;
- its file changed: by the recorded call text among the calls of the same function, if
  exactly one matches; otherwise the entry is *dropped*, with a note (a fix must never
  land on a call that moved). A site in a file that no longer exists is dropped too; a
  site in a file this run does not check is only counted (``outside``).

A located site then **confirms** a static finding of the same function when it is the
same call (same span); or when the site's callee is the finding's call (a lazy iterator
such as ``Path.glob`` blocks when iterated, after the call that created it); or, for a
read or write on a file object, when the finding is the ``open`` earlier in the
function that made it. Otherwise it becomes an **AFY300** finding at the site.

Static findings that no site confirmed are *exercised* (a line of the call ran in the
tests, but no blocking call was seen there: the detector does not know its primitive,
or a guard kept it from blocking) or *not exercised*; *unknown* when that cannot be
said (the file changed since the run, it is not project code for the plugin, or lines
were not traced).
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from asyncify.config import Config
from asyncify.findings import ChainLink, Confidence, Finding, helper_name
from asyncify.plan import annotate_fixable
from asyncify.rules.observed_blocking_call import ObservedBlockingCall
from asyncify.runtime.document import CallSite, Chain, Frame, RuntimeReport, SlowStep
from asyncify.runtime.mapping import span_text, split_lines, text_digest
from asyncify.runtime.places import Place, Places
from asyncify.scan.summary import CallSite as StaticCall
from asyncify.scan.summary import ModuleSummary, Span
from asyncify.scan.suppression import is_suppressed
from asyncify.vocabulary import Strategy

OPEN_CALLS = frozenset({"open", "io.open", "pathlib.Path.open", "os.fdopen", "codecs.open"})
OUTSIDE = "in a file this run does not check"
"""``locate``'s answer for a site that exists but lies outside the checked paths."""


class Status(enum.StrEnum):
    CONFIRMED = "confirmed"
    """A static finding whose call blocked while the tests ran."""
    OBSERVED = "observed"
    """An AFY300 finding: seen blocking at run time only."""
    EXERCISED = "exercised"
    """The call ran in the tests, but no blocking call was seen there."""
    NOT_EXERCISED = "not_exercised"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class RuntimeInfo:
    """What the run says about one finding."""

    status: Status
    count: int = 0
    tests: tuple[str, ...] = ()
    chains: tuple[Chain, ...] = ()
    note: str | None = None

    @property
    def primitives(self) -> tuple[str, ...]:
        return tuple(sorted({chain.primitive for chain in self.chains}))


@dataclass(frozen=True, slots=True)
class Dropped:
    """A call site of the report that no longer matches the code."""

    path: str
    line: int
    function: str
    text: str
    reason: str


@dataclass
class RuntimeMerge:
    """The findings with the run merged in, and what could not be used."""

    source: Path
    report: RuntimeReport
    root: Path
    """Where the report's relative paths start (``report_root``)."""
    findings: list[Finding]
    info: dict[Finding, RuntimeInfo]
    dropped: list[Dropped] = field(default_factory=list)
    outside: int = 0
    slow_steps: list[SlowStep] = field(default_factory=list)
    """Slow steps in files this run checks, with their paths as the findings show them."""

    def info_for(self, finding: Finding) -> RuntimeInfo | None:
        return self.info.get(finding)

    def counts(self) -> dict[Status, int]:
        found = {status: 0 for status in Status}
        for finding in self.findings:
            info = self.info.get(finding)
            if info is not None:
                found[info.status] += 1
        return found


@dataclass(frozen=True, slots=True)
class _Located:
    span: Span
    call: StaticCall | None
    summary: ModuleSummary


@dataclass
class _Seen:
    count: int = 0
    tests: set[str] = field(default_factory=set)
    chains: dict[tuple[str, tuple[Frame, ...]], int] = field(default_factory=dict)

    def add(self, site: CallSite) -> None:
        self.count += site.count
        self.tests.update(site.tests)
        for chain in site.chains:
            key = (chain.primitive, chain.frames)
            self.chains[key] = self.chains.get(key, 0) + chain.count

    def info(self, status: Status, note: str | None = None) -> RuntimeInfo:
        from asyncify.runtime.document import sort_chains

        chains = sort_chains(Chain(p, n, f) for (p, f), n in self.chains.items())
        return RuntimeInfo(status, self.count, tuple(sorted(self.tests)), chains, note)


def report_root(report: RuntimeReport, source: Path, checked: set[str], config_root: Path | None = None) -> Path:
    """Where the report's relative paths start, in this checkout.

    The recorded root, unless none of the report's files is among the files checked
    under it (the report comes from CI, or the project was copied or moved): then the
    configuration's root, the report's folder, or the current directory, whichever
    holds them; the recorded root when none does.
    """
    recorded = Path(report.root)
    paths = {site.path for site in report.call_sites} | set(report.files)
    candidates = [recorded, config_root, source.resolve().parent, Path.cwd()]
    for candidate in candidates:
        if candidate is not None and any(_normal(candidate / path) in checked for path in paths):
            return candidate
    return recorded


def _normal(path: str | Path) -> str:
    return os.path.normcase(os.path.normpath(os.path.abspath(path)))


class _Merger:
    def __init__(
        self,
        report: RuntimeReport,
        source: Path,
        summaries: Sequence[ModuleSummary],
        config: Config,
        read_text: Callable[[str], str | None],
    ) -> None:
        self.report = report
        self.modules = {_normal(s.path): s for s in summaries}
        self.root = report_root(report, source, set(self.modules), config.root)
        self.places = Places(self.root)
        self.config = config
        self._read_text = read_text
        self._texts: dict[str, str | None] = {}
        self._fresh: dict[str, bool] = {}

    def text(self, summary: ModuleSummary) -> str | None:
        if summary.path not in self._texts:
            self._texts[summary.path] = self._read_text(summary.path)
        return self._texts[summary.path]

    def relative(self, summary: ModuleSummary) -> str | None:
        absolute = Path(os.path.abspath(summary.path))
        try:
            return absolute.relative_to(self.root).as_posix()
        except ValueError:
            return None

    def fresh(self, summary: ModuleSummary) -> bool:
        """The file's text is the one the run saw (same content hash)."""
        if summary.path not in self._fresh:
            relative = self.relative(summary)
            record = self.report.files.get(relative) if relative is not None else None
            text = self.text(summary)
            self._fresh[summary.path] = record is not None and text is not None and text_digest(text) == record.sha256
        return self._fresh[summary.path]

    def locate(self, site: CallSite) -> _Located | str:
        """The site in today's code, or why it cannot be found."""
        absolute = self.root / site.path
        summary = self.modules.get(_normal(absolute))
        if summary is None:
            return OUTSIDE if absolute.exists() else "the file no longer exists"
        function = next((f for f in summary.functions if f.qualname == site.function), None)
        if function is None:
            return f"`{site.function}` is no longer in the file"
        if self.fresh(summary):
            span = Span(site.line, site.column, site.end_line, site.end_column)
            if site.column == 0:  # no column information: the one call on that line
                on_line = [c for c in function.calls if c.span.line == site.line and not c.awaited]
                call = on_line[0] if len(on_line) == 1 else None
                return _Located(call.span if call else span, call, summary)
            return _Located(span, next((c for c in function.calls if c.span == span), None), summary)
        text = self.text(summary)
        if not site.text or text is None:
            return "the file changed since the run"
        lines = split_lines(text)
        matches = [c for c in function.calls if span_text(lines, c.span) == site.text]
        if len(matches) != 1:
            how = "is no longer" if not matches else "appears more than once"
            return f"the file changed since the run and `{site.text}` {how} in `{site.function}`"
        return _Located(matches[0].span, matches[0], summary)


def merge_runtime(
    report: RuntimeReport,
    source: Path,
    findings: Sequence[Finding],
    summaries: Sequence[ModuleSummary],
    config: Config,
    read_text: Callable[[str], str | None],
) -> RuntimeMerge:
    """``findings`` (static, annotated) with the report merged in; see the module docstring."""
    merger = _Merger(report, source, summaries, config, read_text)
    by_function: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        by_function.setdefault((_normal(finding.path), finding.function), []).append(finding)
    confirmed: dict[Finding, _Seen] = {}
    observed: dict[tuple[str, Span], tuple[Finding, _Seen]] = {}
    merge = RuntimeMerge(source, report, merger.root, [], {})
    for site in report.call_sites:
        located = merger.locate(site)
        if located == OUTSIDE:
            merge.outside += 1
            continue
        if isinstance(located, str):
            merge.dropped.append(Dropped(site.path, site.line, site.function, site.text, located))
            continue
        candidates = by_function.get((_normal(located.summary.path), site.function), [])
        target = _confirmed_finding(site, located, candidates)
        if target is not None:
            confirmed.setdefault(target, _Seen()).add(site)
            continue
        new = _observed_finding(site, located, merger)
        if new is not None:
            key = (new.path, new.span)
            if key not in observed:
                observed[key] = (new, _Seen())
            observed[key][1].add(site)
    fixed = annotate_fixable([finding for finding, _ in observed.values()], config)
    for finding, (_, seen_there) in zip(fixed, observed.values(), strict=True):
        merge.info[finding] = seen_there.info(Status.OBSERVED)
    for finding in findings:
        seen = confirmed.get(finding)
        merge.info[finding] = seen.info(Status.CONFIRMED) if seen else _static_status(finding, merger)
    merge.findings = sorted([*findings, *fixed], key=Finding.sort_key)
    merge.slow_steps = _slow_steps(merger)
    return merge


def _confirmed_finding(site: CallSite, located: _Located, candidates: list[Finding]) -> Finding | None:
    same = next((f for f in candidates if f.span == located.span), None)
    if same is not None:
        return same
    callees = {chain.frames[0].function for chain in site.chains if chain.frames}
    created = [f for f in candidates if f.call in callees and f.span.line <= located.span.line]
    if created:
        return max(created, key=lambda f: f.span)
    direct_io = bool(site.chains) and all(not c.frames and c.primitive.startswith("io.") for c in site.chains)
    opened = [f for f in candidates if f.call in OPEN_CALLS and f.span.line <= located.span.line]
    if direct_io and opened:
        return max(opened, key=lambda f: f.span)
    return None


def _observed_finding(site: CallSite, located: _Located, merger: _Merger) -> Finding | None:
    summary, span = located.summary, located.span
    code = ObservedBlockingCall.code
    if not merger.config.is_selected(code) or is_suppressed(summary.suppressions, (span.line, span.end_line), (code,)):
        return None
    chain = site.chains[0] if site.chains else Chain("?", 0, ())
    callee = chain.frames[0] if chain.frames else None
    call = callee.function if callee is not None else chain.primitive
    shown = helper_name(call) if callee is not None and callee.project else call
    reason = None
    if located.call is None:
        shown = site.text.splitlines()[0] if site.text else "this expression"
        reason = f"`{shown}` is not a call asyncify can move to a thread (seen at run time)"
    elif site.awaited or located.call.awaited:
        reason = (
            f"blocks inside the awaited coroutine `{call}`: there is no sync call to move to a thread "
            "(fix the coroutine, or use an async alternative)"
        )
    return Finding(
        code=code,
        message=ObservedBlockingCall.format(shown),
        path=summary.path,
        module=summary.module,
        span=span,
        function=site.function,
        call=call,
        confidence=Confidence.CERTAIN,
        strategies=() if reason else (Strategy.WRAP,),
        awaitable=located.call.awaitable if located.call is not None else True,
        chain=fold_chain(chain, merger.root),
        thread_affine=any(c.primitive.startswith("sqlite3.") for c in site.chains),
        not_fixable=reason,
    )


def fold_chain(chain: Chain, root: Path) -> tuple[ChainLink, ...]:
    """The observed stack as chain links: each project frame, the first frame of each
    run of library frames (the rest folded), then the primitive.

    As in static chains, the first link is the callee where it is defined and each later
    one the next call, where it is made.
    """
    frames = chain.frames
    if not frames:
        return ()

    def path(frame: Frame) -> str:
        return str(root / frame.path) if not os.path.isabs(frame.path) else frame.path

    first = frames[0]
    links = [ChainLink(first.function, path(first), first.defined or first.line)]
    previous = first
    for frame in frames[1:]:
        if not frame.project and not previous.project:
            previous = frame  # folded into the library run
            continue
        links.append(ChainLink(frame.function, path(previous), previous.line))
        previous = frame
    links.append(ChainLink(chain.primitive, path(previous), previous.line))
    return tuple(links)


def folded_frames(chain: Chain) -> list[tuple[Frame, int]]:
    """The frames a folded chain shows, each with how many library frames follow it unshown."""
    shown: list[tuple[Frame, int]] = []
    for frame in chain.frames:
        if shown and not frame.project and not shown[-1][0].project:
            shown[-1] = (shown[-1][0], shown[-1][1] + 1)
        else:
            shown.append((frame, 0))
    return shown


def _static_status(finding: Finding, merger: _Merger) -> RuntimeInfo:
    summary = merger.modules.get(_normal(finding.path))
    relative = merger.relative(summary) if summary is not None else None
    if summary is None or relative is None:
        return RuntimeInfo(Status.UNKNOWN, note="outside the root of the test run")
    if merger.places.quick(os.path.abspath(summary.path)) is not Place.PROJECT:
        return RuntimeInfo(
            Status.UNKNOWN, note="not project code for the plugin (tests and installed code are not traced)"
        )
    if not merger.report.lines_traced:
        return RuntimeInfo(
            Status.UNKNOWN, note="the run did not trace lines (another tracer, such as coverage, was active)"
        )
    record = merger.report.files.get(relative)
    if record is None:
        return RuntimeInfo(Status.NOT_EXERCISED)
    if not merger.fresh(summary) or record.exercised is None:
        return RuntimeInfo(Status.UNKNOWN, note="the file changed since the run")
    lines = set(record.exercised)
    if any(line in lines for line in range(finding.span.line, finding.span.end_line + 1)):
        return RuntimeInfo(Status.EXERCISED)
    return RuntimeInfo(Status.NOT_EXERCISED)


def _slow_steps(merger: _Merger) -> list[SlowStep]:
    steps = []
    for step in merger.report.slow_steps:
        summary = merger.modules.get(_normal(merger.root / step.path))
        if summary is not None and merger.fresh(summary):
            steps.append(replace(step, path=summary.path))
    return steps
