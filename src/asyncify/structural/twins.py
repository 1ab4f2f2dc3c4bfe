"""Twins: whether a function may have one, its name, and how each caller names it.

A twin is refused (with the reason) for what a copy cannot reproduce: dunders (Python
calls them by name), properties, decorated functions (the copy would drop the decorator
or apply it twice: a second registration, a second cache), generators, defaults that
call something (evaluated a second time), methods a subclass overrides (the twin would
bypass the override), and names already taken.

A call site names the twin the way it names the original: ``helper(...)`` bound by
``from pkg import helper`` becomes ``helper_async(...)`` with ``helper_async`` imported
beside ``helper`` — in the caller and in every package ``__init__`` that re-exports the
helper on the way to its module (and in their ``__all__``); ``mod.helper(...)``,
``self.m(...)`` and ``super().m(...)`` change the attribute only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from asyncify.analysis.index import MAX_HOPS, FunctionRef, ProjectIndex
from asyncify.scan.summary import MODULE_BODY, CallKind, CallSite, ModuleSummary
from asyncify.structural.facts import ModuleFacts, ProjectFacts
from asyncify.structural.graph import CallGraph, SpecialForm, special_form
from asyncify.structural.model import span_key
from asyncify.structural.naming import name_problem, twin_name


@dataclass(frozen=True, slots=True)
class NewImport:
    """``from <source> import <name> [as <local>]`` in ``module`` gains the twin."""

    module: ModuleSummary
    source: str
    name: str
    local: str
    twin_name: str
    twin_local: str


@dataclass(frozen=True, slots=True)
class NewExport:
    module: ModuleSummary
    name: str
    twin: str


@dataclass
class Rename:
    """How one call site names the twin, and the imports and exports that requires."""

    name: str
    imports: list[NewImport] = field(default_factory=list)
    exports: list[NewExport] = field(default_factory=list)


class _NoName(Exception):
    """A call site cannot name the twin; the message says why."""


def scope_of(qualname: str, class_name: str | None) -> str:
    """The module-relative scope a def lives in (``<module>``, a class, a function)."""
    if class_name is not None:
        return class_name
    if ".<locals>." in qualname:
        return qualname.rsplit(".<locals>.", 1)[0]
    return MODULE_BODY


class TwinNamer:
    """Twin names and refusals; ``claim`` reserves a name for one plan."""

    def __init__(self, index: ProjectIndex, graph: CallGraph, facts: ProjectFacts, template: str | None) -> None:
        self.index = index
        self.graph = graph
        self.facts = facts
        self.template = template
        self._problems: dict[str, str | None] = {}
        self._claims: dict[tuple[str, str, str], str] = {}

    def name(self, ref: FunctionRef) -> str:
        return twin_name(ref.summary.name, self.template)

    def qualname(self, ref: FunctionRef) -> str:
        """The twin's module-relative qualname (``Class.m_async``)."""
        head, dot, _ = ref.summary.qualname.rpartition(".")
        return f"{head}{dot}{self.name(ref)}"

    def problem(self, ref: FunctionRef) -> str | None:
        """Why ``ref`` cannot have a twin, or ``None``."""
        if ref.qualname not in self._problems:
            self._problems[ref.qualname] = self._problem(ref)
        return self._problems[ref.qualname]

    def claim(self, ref: FunctionRef) -> str | None:
        """Reserve the twin name in its scope; the reason when another twin has it."""
        key = (ref.module.path, scope_of(ref.summary.qualname, ref.summary.class_name), self.name(ref))
        owner = self._claims.setdefault(key, ref.qualname)
        if owner != ref.qualname:
            return f"the twin name `{key[2]}` is also the twin of `{owner}`"
        return None

    def _problem(self, ref: FunctionRef) -> str | None:
        summary, name = ref.summary, ref.summary.name
        if summary.is_async or summary.qualname == MODULE_BODY:
            return "is not a sync function"
        if len(ref.alternatives) > 1:
            count = len(ref.alternatives)
            return f"it has {count} definitions (conditional or redefined); one twin cannot stand for them"
        special = special_form(summary)
        if special is not None:
            form, detail = special
            if form is SpecialForm.DUNDER:
                return f"`{detail}` is a dunder method, which Python calls by its name"
            if form is SpecialForm.PROPERTY:
                return "it is a property"
            return f"it is decorated with `@{detail}`; a twin would drop the decorator or apply it twice"
        facts = self.facts.of(ref.module.path)
        if facts is None:
            return f"{ref.module.path} cannot be read"
        if summary.qualname in facts.generators:
            return "it is a generator; its callers iterate it and cannot await it"
        if summary.qualname in facts.default_calls:
            return "its default arguments call functions; a twin would evaluate them a second time"
        for other in self.graph.overridden_by(ref):
            return f"it is overridden by `{other.qualname}`; `{self.name(ref)}` would bypass the override"
        twin = self.name(ref)
        invalid = name_problem(name, twin)
        if invalid is not None:
            return invalid
        scope = scope_of(summary.qualname, summary.class_name)
        taken = twin in facts.scope_names.get(scope, set())
        cls = self.graph.class_of(ref)
        if cls is not None and not taken:
            related = [*self.graph.ancestors(cls), *self.graph.descendants(cls)]
            taken = any(f"{other}.{twin}" in self.index.functions for other in related)
        if taken:
            place = f"class `{summary.class_name}`" if summary.class_name else ref.module.path
            hint = "set twin-name in [tool.asyncify] to use another template"
            return f"the twin name `{twin}` is already taken in {place} ({hint})"
        return None

    def call(self, caller: FunctionRef, site: CallSite, callee: FunctionRef) -> Rename | str:
        """How the call ``site`` in ``caller`` names ``callee``'s twin, or why it cannot."""
        try:
            return self._call(caller, site, callee)
        except _NoName as error:
            return str(error)

    def _call(self, caller: FunctionRef, site: CallSite, callee: FunctionRef) -> Rename:
        twin = self.name(callee)
        facts = self.facts.of(caller.module.path)
        form = facts.func_names.get(span_key(site.span)) if facts is not None else None
        if form is None:
            raise _NoName(f"the call at {caller.module.path}:{site.span.line} cannot be found again")
        kind, written = form
        method = callee.summary.class_name is not None
        if site.kind is CallKind.SUPER or (kind == "attr" and method):
            if written != callee.summary.name:
                raise _NoName(f"the call spells the method `{written}`, not `{callee.summary.name}`")
            return Rename(twin)
        if method or kind == "other":
            raise _NoName(f"the call at {caller.module.path}:{site.span.line} does not name the helper")
        rename = Rename(twin)
        if kind == "attr":
            owner, _, last = site.target.rpartition(".")
            rename.name = self._bind(owner, last, callee, rename, 0)
            return rename
        local_def = ".<locals>." in callee.summary.qualname or site.target == callee.qualname
        if local_def and caller.module is callee.module and written == callee.summary.name:
            self._not_local(caller, rename.name, facts)
            return rename
        owner, _, last = site.target.rpartition(".")
        inner = self._bind(owner, last, callee, rename, 0)
        twin_local = twin_name(written, self.template)
        expected = f"{owner}.{inner}"
        bound = caller.module.imports.get(twin_local)
        if bound is not None and bound != expected:
            raise _NoName(f"the name `{twin_local}` is already taken in {caller.module.path}")
        if bound is None:
            if facts is not None and twin_local in facts.scope_names.get(MODULE_BODY, set()):
                raise _NoName(f"the name `{twin_local}` is already taken in {caller.module.path}")
            rename.imports.append(NewImport(caller.module, owner, last, written, inner, twin_local))
        self._not_local(caller, twin_local, facts)
        rename.name = twin_local
        return rename

    @staticmethod
    def _not_local(caller: FunctionRef, name: str, facts: ModuleFacts | None) -> None:
        """A twin called by name must not be hidden by a local of the calling function."""
        if facts is not None and name in facts.scope_names.get(caller.summary.qualname, set()):
            raise _NoName(f"the name `{name}` is a local of `{caller.summary.qualname}`")

    def _bind(self, owner: str, name: str, callee: FunctionRef, rename: Rename, hops: int) -> str:
        """The name of the twin in module ``owner`` (which binds the helper as ``name``)."""
        if owner == callee.module.module and name == callee.summary.name:
            return self.name(callee)
        module = self.index.modules.get(owner)
        target = module.imports.get(name) if module is not None else None
        if module is None or target is None or target == f"{owner}.{name}" or hops > MAX_HOPS:
            raise _NoName(f"cannot follow `{owner}.{name}` to `{callee.qualname}`")
        source, _, imported = target.rpartition(".")
        inner = self._bind(source, imported, callee, rename, hops + 1)
        local = twin_name(name, self.template)
        bound = module.imports.get(local)
        if bound is not None and bound != f"{source}.{inner}":
            raise _NoName(f"the name `{local}` is already taken in {module.path}")
        if bound is None:
            rename.imports.append(NewImport(module, source, imported, name, inner, local))
        if module.exports is not None and name in module.exports and local not in module.exports:
            rename.exports.append(NewExport(module, name, local))
        return local
