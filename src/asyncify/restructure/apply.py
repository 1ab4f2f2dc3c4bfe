"""Apply a structural plan: all-or-nothing per component, then report.

Each file is rewritten with the operations of the components still alive. When a file
fails (an operation not found, an ``await`` not allowed, a result that does not
compile), the components responsible are dropped — from *every* file — and the files
are rewritten again without them, until every file succeeds. So no component is ever
half applied, and the findings of a dropped component are refused with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from asyncify.config import Config
from asyncify.findings import Finding
from asyncify.restructure.transform import transform_module
from asyncify.scan.summary import ModuleSummary
from asyncify.structural.context import StructuralContext, read_text
from asyncify.structural.model import Component, FileOps, StructuralOutcome, StructuralPlan
from asyncify.structural.planner import plan_structural


def apply_structural(
    plan: StructuralPlan, texts: Mapping[str, str], *, line_length: int | None = None
) -> StructuralOutcome:
    """New texts for the files ``plan`` changes (``texts``: path -> current text); new
    lines longer than ``line_length`` are split (``codemods.line_length``)."""
    alive = set().union(*(ops.components() for ops in plan.files.values())) if plan.files else set()
    dropped: dict[str, str] = {}
    failed: dict[str, str] = {}
    results: dict[str, str] = {}
    retry = True
    while retry:
        retry = False
        results = {}
        for path in sorted(plan.files):
            ops = plan.files[path].restricted(alive)
            if not ops.components():
                continue
            reason, culprits = _rewrite(path, ops, texts, results, line_length)
            if reason is None:
                continue
            failed[path] = reason
            for component in culprits:
                dropped.setdefault(component, f"{path}: {reason}")
            alive -= culprits
            retry = True
            break
    applied = [key for key, component in plan.findings.items() if component in alive]
    refused = dict(plan.refused)
    for key, component in plan.findings.items():
        if component not in alive:
            refused[key] = f"twin/propagate not applied: {dropped.get(component, 'its component failed')}"
    fallback = {}
    for key, strategy in plan.fallback.items():
        component = plan.fallback_components.get(key, "")
        if component in dropped:
            refused.setdefault(key, f"twin/propagate not applied: {dropped[component]}")
        else:
            fallback[key] = strategy
    stops = list(plan.stops)
    changed = {path: text for path, text in results.items() if text != texts.get(path)}
    outcome = StructuralOutcome(changed, applied, fallback, refused, stops, failed)
    outcome.callees = _new_callees(plan, alive)
    outcome.components = _components(plan, alive, changed, line_length)
    outcome.twins = {(ops.module, q) for ops in plan.files.values() for q in ops.restricted(alive).twins}
    return outcome


def _components(
    plan: StructuralPlan, alive: set[str], changed: Mapping[str, str], line_length: int | None
) -> list[Component]:
    """Each component still alive, with its operations in the files it changes."""
    found = []
    for name in sorted(alive):
        files = {path: ops.restricted({name}) for path, ops in sorted(plan.files.items()) if path in changed}
        files = {path: ops for path, ops in files.items() if ops.components()}
        if not files:
            continue
        keys = {key for key, component in plan.findings.items() if component == name}
        keys |= {key for key, component in plan.fallback_components.items() if component == name}
        found.append(Component(name, frozenset(keys), files, line_length))
    return found


def component_texts(component: Component, texts: Mapping[str, str]) -> dict[str, str | None]:
    """The files ``component`` changes, rewritten with its operations alone (``texts``:
    path -> text before phase 1); ``None`` where it does not apply without the others."""
    return {
        path: transform_module(texts[path], ops, path, line_length=component.line_length).text
        for path, ops in component.files.items()
        if path in texts
    }


def _new_callees(plan: StructuralPlan, alive: set[str]) -> dict[tuple[str, str], str]:
    """``(module, qualname)`` of each function async code no longer calls as it was ->
    what it calls now (the twin, or the function's new or unchanged name, now async)."""
    found: dict[tuple[str, str], str] = {}
    for ops in plan.files.values():
        kept = ops.restricted(alive)
        for qualname, twin in kept.twins.items():
            found[(ops.module, qualname)] = twin.name
        for qualname in kept.make_async:
            found[(ops.module, qualname)] = kept.renamed.get(qualname, qualname.rpartition(".")[2])
    return found


def _rewrite(
    path: str, ops: FileOps, texts: Mapping[str, str], results: dict[str, str], line_length: int | None
) -> tuple[str | None, set[str]]:
    """Rewrite one file into ``results``; on failure the reason and the components to drop."""
    text = texts.get(path)
    if text is None:
        return "cannot be read", ops.components()
    outcome = transform_module(text, ops, path, line_length=line_length)
    if outcome.text is not None:
        results[path] = outcome.text
        return None, set()
    components = ops.components()
    culprits = set(components)
    if len(components) > 1:
        alone = {c for c in components if transform_module(text, ops.restricted({c}), path).text is None}
        culprits = alone or culprits
    return outcome.reason, culprits


def run_structural(
    summaries: list[ModuleSummary],
    findings: Sequence[Finding],
    config: Config,
    *,
    read: Callable[[str], str] | None = None,
    line_length: int | None = None,
) -> StructuralOutcome:
    """Plan and apply phase 1 in one call (texts read with ``read``, default from disk;
    new lines over ``line_length`` split)."""
    reader = read or read_text
    context = StructuralContext(summaries, config, reader)
    plan = plan_structural(summaries, findings, config, context=context)
    texts: dict[str, str] = {}
    for path in plan.files:
        text = context.facts.text(path)
        if text is not None:
            texts[path] = text
    return apply_structural(plan, texts, line_length=line_length)
