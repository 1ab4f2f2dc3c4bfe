"""Several run-time reports made one: pytest-xdist workers each record their own tests.

Call sites, slow steps and unmapped events are keyed as in one run; counts add up,
test ids and exercised lines are united, the longest slow step is kept.
"""

from __future__ import annotations

from collections.abc import Iterable

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


def combine_reports(reports: Iterable[RuntimeReport]) -> RuntimeReport | None:
    """One report from several runs over the same root (xdist workers): counts add up."""
    reports = list(reports)
    if not reports:
        return None
    files: dict[str, FileRecord] = {}
    for report in reports:
        for path, record in report.files.items():
            known = files.get(path)
            if known is None or known.exercised is None:
                files[path] = record if known is None or record.exercised is not None else known
            elif record.exercised is not None:
                files[path] = FileRecord(known.sha256, tuple(sorted({*known.exercised, *record.exercised})))
    first = reports[0]
    return RuntimeReport(
        root=first.root,
        tests=sum(r.tests for r in reports),
        asyncify=first.asyncify,
        python=first.python,
        detector=first.detector,
        slow_callback_duration=first.slow_callback_duration,
        lines_traced=all(r.lines_traced for r in reports),
        files=files,
        call_sites=_combine_sites([s for r in reports for s in r.call_sites]),
        slow_steps=_combine_steps([s for r in reports for s in r.slow_steps]),
        unmapped=_combine_unmapped([u for r in reports for u in r.unmapped]),
    )


def _combine_sites(sites: list[CallSite]) -> tuple[CallSite, ...]:
    merged: dict[tuple[str, str, int, int, int, int], CallSite] = {}
    for site in sites:
        known = merged.get(site.key)
        if known is None:
            merged[site.key] = site
            continue
        chains: dict[tuple[str, tuple[Frame, ...]], int] = {}
        for chain in (*known.chains, *site.chains):
            chains[(chain.primitive, chain.frames)] = chains.get((chain.primitive, chain.frames), 0) + chain.count
        merged[site.key] = _site_with(known, site, chains)
    return tuple(sorted(merged.values(), key=lambda s: s.key))


def _site_with(known: CallSite, site: CallSite, chains: dict[tuple[str, tuple[Frame, ...]], int]) -> CallSite:
    return CallSite(
        path=site.path,
        module=site.module,
        function=site.function,
        line=site.line,
        column=site.column,
        end_line=site.end_line,
        end_column=site.end_column,
        text=site.text,
        awaited=site.awaited or known.awaited,
        count=known.count + site.count,
        tests=tuple(sorted({*known.tests, *site.tests})),
        chains=sort_chains(Chain(p, n, f) for (p, f), n in chains.items()),
    )


def _combine_steps(steps: list[SlowStep]) -> tuple[SlowStep, ...]:
    merged: dict[tuple[str, str, int], SlowStep] = {}
    for step in steps:
        key = (step.path, step.function, step.line)
        known = merged.get(key)
        if known is not None:
            step = SlowStep(
                step.path,
                step.function,
                step.line,
                known.count + step.count,
                max(known.seconds, step.seconds),
                tuple(sorted({*known.tests, *step.tests})),
            )
        merged[key] = step
    return tuple(sorted(merged.values(), key=lambda s: (s.path, s.line, s.function)))


def _combine_unmapped(entries: list[Unmapped]) -> tuple[Unmapped, ...]:
    merged: dict[tuple[str, tuple[Frame, ...]], Unmapped] = {}
    for entry in entries:
        key = (entry.primitive, entry.frames)
        known = merged.get(key)
        if known is not None:
            entry = Unmapped(
                entry.primitive, known.count + entry.count, tuple(sorted({*known.tests, *entry.tests})), entry.frames
            )
        merged[key] = entry
    return tuple(sorted(merged.values(), key=lambda u: (-u.count, u.primitive)))
