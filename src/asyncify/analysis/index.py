"""The project index: every module, class and function of the project, by qualified name.

Built from summaries alone. Call targets recorded by the scanner are qualified names as
the caller spelled them after import resolution (``pkg.api.load`` may be a re-export of
``pkg.loader.load``; ``pkg.mod.Parser.parse`` may be inherited from a base class); the
index turns them into the function that actually runs, or ``None``. It never guesses.
"""

from __future__ import annotations

from dataclasses import dataclass

from asyncify.analysis.deferred import DeferredTypes, concretise
from asyncify.scan.summary import CallKind, CallSite, ClassSummary, FunctionSummary, ModuleSummary

MAX_HOPS = 12
"""How many re-exports and aliases a name is followed through before giving up (cycles)."""


@dataclass(frozen=True, slots=True)
class FunctionRef:
    """A function of the project with the module it lives in.

    A name defined more than once in its scope (``def`` in both branches of an ``if``, a
    redefinition, an ``if TYPE_CHECKING:`` alternate) is one ref: a call may reach any
    definition, so ``summary`` is the first sync definition with the calls of every sync
    definition, and ``alternatives`` holds them all in source order."""

    qualname: str
    summary: FunctionSummary
    module: ModuleSummary
    alternatives: tuple[FunctionSummary, ...] = ()

    def definition_at(self, line: int) -> FunctionSummary:
        """The definition whose body holds ``line`` (the only one for a single def)."""
        for alternative in self.alternatives:
            span = alternative.span
            if span.line <= line <= span.end_line:
                return alternative
        return self.summary


class ProjectIndex:
    """Lookups over all summaries; cheap to build (dictionaries only)."""

    def __init__(self, summaries: list[ModuleSummary]) -> None:
        self.modules: dict[str, ModuleSummary] = {}
        self.functions: dict[str, FunctionRef] = {}
        self.classes: dict[str, tuple[ClassSummary, ModuleSummary]] = {}
        self.instances: dict[str, str] = {}
        self.summaries = list(summaries)
        for summary in summaries:
            self._register(summary)
        self.tops = frozenset(module.partition(".")[0] for module in self.modules)
        """First components of the project's module names: every name the index knows
        starts with one, so a target that does not (``os.path.join``) resolves to nothing."""
        self._cache: dict[str, FunctionRef | None] = {}
        self._super_cache: dict[str, FunctionRef | None] = {}
        self._method_cache: dict[tuple[str, str], FunctionRef | None] = {}
        self._class_cache: dict[str, tuple[ClassSummary, ModuleSummary] | None] = {}
        self._lineages: dict[str, tuple[str, ...]] = {}
        self.types = DeferredTypes(self)
        if any(summary.deferred for summary in summaries):
            self._concretise()

    def _register(self, summary: ModuleSummary) -> None:
        self.modules.setdefault(summary.module, summary)
        repeated: dict[str, list[FunctionSummary]] = {}
        for function in summary.functions:
            qualified = summary.qualify(function.qualname)
            if qualified not in self.functions:
                self.functions[qualified] = FunctionRef(qualified, function, summary)
            elif self.functions[qualified].module is summary:
                repeated.setdefault(qualified, [self.functions[qualified].summary]).append(function)
        for qualified, definitions in repeated.items():
            live = [d for d in definitions if not d.superseded]
            if len(live) == 1:
                self.functions[qualified] = FunctionRef(qualified, live[0], summary)
            elif live:
                self.functions[qualified] = _merged(qualified, live, summary)
        for cls in summary.classes:
            self.classes.setdefault(summary.qualify(cls.qualname), (cls, summary))
        for name, typed in summary.instances.items():
            self.instances.setdefault(summary.qualify(name), typed)

    def _concretise(self) -> None:
        """Turn deferred call sites into ordinary ones (``analysis.deferred``): every
        module's types are known first, so the order of modules does not matter."""
        replaced = {}
        for position, summary in enumerate(self.summaries):
            if summary.deferred:
                replaced[position] = concretise(summary, self.types)
        for position, new in replaced.items():
            old = self.summaries[position]
            self.summaries[position] = new
            if self.modules.get(old.module) is old:
                self.modules[old.module] = new
            for function in old.functions:
                qualified = old.qualify(function.qualname)
                ref = self.functions.get(qualified)
                if ref is not None and ref.module is old:
                    del self.functions[qualified]
            for cls in old.classes:
                qualified = old.qualify(cls.qualname)
                if self.classes.get(qualified, (None, None))[1] is old:
                    del self.classes[qualified]
        for new in replaced.values():
            self._register(new)
        self._cache.clear()
        self._super_cache.clear()
        self._method_cache.clear()
        self._class_cache.clear()
        self._lineages.clear()

    # -- what deferred types need (``analysis.deferred.Lookup``) ---------------------------

    def returns_of(self, name: str) -> tuple[str | None, bool] | None:
        """The declared return type of the project function ``name`` and whether it is async."""
        ref = self.resolve(name)
        return (ref.summary.returns, ref.summary.is_async) if ref is not None else None

    def class_named_qualified(self, name: str) -> str | None:
        found = self.class_named(name)
        return found[1].qualify(found[0].qualname) if found is not None else None

    def method_returns(self, class_name: str, method: str) -> tuple[str | None, bool] | None:
        ref = self.method(class_name, method)
        return (ref.summary.returns, ref.summary.is_async) if ref is not None else None

    def instance_type(self, name: str) -> str | None:
        """The class of the module-level instance or class attribute ``name``."""
        return self.types.evaluate(self.instances.get(name) or self.class_attribute(name))

    def resolve_call(self, call: CallSite, caller: ModuleSummary) -> FunctionRef | None:
        """The project function a call site runs, or None when it is not the project's."""
        if call.kind is CallKind.GUESS or call.target.partition(".")[0] not in self.tops:
            return None
        if call.kind is CallKind.SUPER:
            if call.target not in self._super_cache:
                self._super_cache[call.target] = self._resolve_super(call.target)
            return self._super_cache[call.target]
        own = call.target
        if own.startswith(caller.module + "."):
            local = caller.qualify(own[len(caller.module) + 1 :])
            ref = self.functions.get(local)
            if ref is not None and ref.module is caller:
                return ref
        return self.resolve(call.target)

    def _resolve_super(self, target: str) -> FunctionRef | None:
        """``Owner.method`` called as ``super().method()`` inside ``Owner``."""
        owner, _, method = target.rpartition(".")
        found = self.class_named(owner)
        if found is None:
            return None
        for base in found[0].bases:
            resolved = self.method(base, method)
            if resolved is not None:
                return resolved
        return None

    def resolve(self, target: str) -> FunctionRef | None:
        """Follow re-exports, classes (constructors run ``__init__``) and inheritance."""
        if target in self._cache:
            return self._cache[target]
        if target.partition(".")[0] not in self.tops:
            return None
        self._cache[target] = None
        found = self._resolve(target, 0)
        self._cache[target] = found
        return found

    def _resolve(self, target: str, hops: int) -> FunctionRef | None:
        if hops > MAX_HOPS:
            return None
        direct = self.functions.get(target)
        if direct is not None:
            return direct
        if target in self.classes:
            return self.method(target, "__init__")
        owner, _, attr = target.rpartition(".")
        if not owner:
            return None
        if owner in self.classes:
            return self.method(owner, attr)
        instance = self.instance_type(owner)
        if instance is not None:
            return self.method(instance, attr)
        canonical = self._canonical(owner, hops)
        if canonical is not None and canonical != owner:
            return self._resolve(f"{canonical}.{attr}", hops + 1)
        module = self.modules.get(owner)
        if module is not None and attr in module.imports:
            imported = module.imports[attr]
            if imported != target:
                return self._resolve(imported, hops + 1)
        return None

    def _canonical(self, name: str, hops: int) -> str | None:
        """``pkg.Parser`` re-exported from ``pkg.parsers.Parser`` -> the defining name."""
        if name in self.classes or name in self.modules or name in self.instances:
            return name
        owner, _, attr = name.rpartition(".")
        if not owner or hops > MAX_HOPS:
            return None
        base = self._canonical(owner, hops + 1)
        if base is None:
            return None
        module = self.modules.get(base)
        if module is not None and attr in module.imports:
            return self._canonical(module.imports[attr], hops + 1)
        return f"{base}.{attr}"

    def class_attribute(self, name: str) -> str | None:
        """The type of ``pkg.mod.Class.attr`` (declared on the class or a project base)."""
        owner, _, attr = name.rpartition(".")
        found = self.class_named(owner) if owner else None
        if found is None:
            return None
        for cls in self._lineage(found, set()):
            typed = self.classes[cls][0].attributes.get(attr)
            if typed:
                return typed
        return None

    def class_named(self, name: str) -> tuple[ClassSummary, ModuleSummary] | None:
        """The project class ``name`` refers to (through re-exports), or ``None``."""
        if name not in self._class_cache:
            canonical = self._canonical(name, 0) or name
            self._class_cache[name] = self.classes.get(canonical)
        return self._class_cache[name]

    def method(self, class_name: str, method: str) -> FunctionRef | None:
        """``method`` as found on ``class_name`` or, in MRO-like order, its project bases."""
        key = (class_name, method)
        if key not in self._method_cache:
            found = self.class_named(class_name)
            ref = None
            if found is not None:
                for owner in self._lineage(found, set()):
                    ref = self.functions.get(f"{owner}.{method}")
                    if ref is not None:
                        break
            self._method_cache[key] = ref
        return self._method_cache[key]

    def _lineage(self, found: tuple[ClassSummary, ModuleSummary], active: set[str]) -> tuple[str, ...]:
        """The class and its project bases, depth first, each once (the order ``method``
        searches); computed once per class. A base already on the path (a cycle, which
        only broken code has) contributes nothing."""
        cls, module = found
        qualified = module.qualify(cls.qualname)
        cached = self._lineages.get(qualified)
        if cached is not None:
            return cached
        if qualified in active:
            return ()
        active.add(qualified)
        order: dict[str, None] = {qualified: None}
        for base in cls.bases:
            parent = self.class_named(base)
            if parent is not None:
                order.update(dict.fromkeys(name for name in self._lineage(parent, active) if name not in order))
        active.discard(qualified)
        lineage = tuple(order)
        self._lineages[qualified] = lineage
        return lineage


def _merged(qualified: str, definitions: list[FunctionSummary], module: ModuleSummary) -> FunctionRef:
    """One ref for every definition of a name: any of them may be the one a call reaches."""
    ordered = tuple(sorted(definitions, key=lambda d: d.span))
    sync = [d for d in ordered if not d.is_async]
    first = sync[0] if sync else ordered[0]
    calls = tuple(site for d in (sync or ordered) for site in d.calls)
    return FunctionRef(qualified, first._replace(calls=calls), module, ordered)
