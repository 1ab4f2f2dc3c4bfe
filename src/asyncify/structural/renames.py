"""Propagated ``*_sync`` functions take a name that says what they now are.

``--strategy propagate`` turns ``load_profile_sync`` into an ``async def``; keeping the
name would say the opposite of what it is. A converted function whose name (less its
leading underscores) ends in ``_sync`` is renamed with the ``propagate-name`` template
(``{name}_async`` unless set; ``{name}`` drops the suffix alone), the way a twin is
named (``naming.twin_name``), and so is every reference the project makes to it: each
call (which propagation awaits anyway), each ``from m import load_profile_sync``
(re-exports on the way included; an ``as`` alias is kept), each ``__all__`` entry. The rename is all or nothing
per function: when the new name is taken in its scope, or one call cannot name it (the
same rules as a twin's), the function keeps its name and still becomes async.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from asyncify.analysis.index import FunctionRef
from asyncify.structural.context import StructuralContext
from asyncify.structural.model import SpanKey, span_key
from asyncify.structural.naming import SYNC_SUFFIX
from asyncify.structural.twins import NewExport, NewImport, TwinNamer

DEFAULT_TEMPLATE = "{name}_async"


@dataclass
class Renaming:
    """One converted function's new name and every place that must spell it."""

    name: str
    calls: dict[tuple[str, SpanKey], str] = field(default_factory=dict)
    """``(caller qualname, call span)`` -> the name the call writes."""
    imports: list[NewImport] = field(default_factory=list)
    exports: list[NewExport] = field(default_factory=list)


def is_sync_named(name: str) -> bool:
    stem = name.lstrip("_")
    return stem.endswith(SYNC_SUFFIX) and len(stem) > len(SYNC_SUFFIX)


def plan_renames(context: StructuralContext, convert: Iterable[str]) -> dict[str, Renaming]:
    """The renames of the functions in ``convert`` (qualified names) that are ``_sync``-named."""
    template = context.config.propagate_name or DEFAULT_TEMPLATE
    namer = TwinNamer(context.index, context.graph, context.facts, template)
    found: dict[str, Renaming] = {}
    for qualname in sorted(convert):
        ref = context.index.functions[qualname]
        if not is_sync_named(ref.summary.name):
            continue
        renaming = _renaming(context, namer, ref)
        if renaming is not None:
            found[qualname] = renaming
    return found


def _renaming(context: StructuralContext, namer: TwinNamer, ref: FunctionRef) -> Renaming | None:
    if namer.problem(ref) is not None or namer.claim(ref) is not None:
        return None
    renaming = Renaming(namer.name(ref))
    for caller in context.graph.callers.get(ref.qualname, ()):
        rename = namer.call(caller.function, caller.site, ref)
        if isinstance(rename, str):
            return None
        called = rename.name
        for new in rename.imports:
            if new.local != new.name:  # ``import x as alias``: the alias says nothing of sync
                if new.module is caller.function.module and called == new.twin_local:
                    called = new.local
                new = replace(new, twin_local=new.local)
            renaming.imports.append(new)
        renaming.calls[(caller.function.qualname, span_key(caller.site.span))] = called
        renaming.exports += rename.exports
    module, name = ref.module, ref.summary.name
    if ref.summary.class_name is None and module.exports is not None and name in module.exports:
        renaming.exports.append(NewExport(module, name, renaming.name))
    for other in context.index.modules.values():
        for local, target in other.imports.items():
            if other is module or target != ref.qualname:
                continue
            if any(i.module is other and i.local == local for i in renaming.imports):
                continue
            new_local = renaming.name if local == name else local
            renaming.imports.append(NewImport(other, module.module, name, local, renaming.name, new_local))
            if other.exports is not None and local in other.exports:
                renaming.exports.append(NewExport(other, local, new_local))
    return renaming
