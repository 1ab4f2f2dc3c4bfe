"""Name binding in libcst trees: what a piece of code binds, reads, and reads before
binding it.

The analysis ``extract`` needs to move a ``with`` block into a nested function: which
names the block binds at its function's level (``bindings``), which names code reads in
the scope it runs in (``reads``; nested scopes contribute their free names,
over-approximated), and which reads are not certainly preceded by a binding
(``Flow``), so that a value crossing the block's edge is written back with
``nonlocal`` instead of silently lost. No scope analysis of libcst's is used: a flat
walk per statement list is enough for one function body, and cheaper.

Approximations always go the safe way for ``extract``: a name that *may* be read counts
as read (``all_names`` of nested code), and a binding inside a compound statement does
not count after it (the branch may not have run).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import cast

import libcst as cst

SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)
COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


def same_scope_children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The children of ``node`` evaluated in the scope ``node`` is in (not a def's body)."""
    if isinstance(node, cst.FunctionDef):
        return [*node.decorators, node.params, *([node.returns] if node.returns else [])]
    if isinstance(node, cst.Lambda):
        return [node.params]
    if isinstance(node, cst.ClassDef):
        return [*node.decorators, *node.bases, *node.keywords]
    if isinstance(node, cst.Param):
        return [part for part in (node.annotation, node.default) if part is not None]
    return list(node.children)


# -- names bound at the function's level ------------------------------------------


@dataclass
class Bound:
    """Names a subtree binds in the scope it runs in, in order of appearance."""

    names: dict[str, None] = field(default_factory=dict)
    annotated: set[str] = field(default_factory=set)
    globals: set[str] = field(default_factory=set)
    nonlocals: set[str] = field(default_factory=set)

    def add(self, names: Iterable[str]) -> None:
        self.names.update(dict.fromkeys(names))


def target_names(node: cst.CSTNode) -> list[str]:
    """The names an assignment target binds (``a, (b, *c)``; not ``x.y`` or ``x[i]``)."""
    if isinstance(node, cst.Name):
        return [node.value]
    if isinstance(node, (cst.Tuple, cst.List)):
        return [name for element in node.elements for name in target_names(element.value)]
    if isinstance(node, cst.StarredElement):
        return target_names(node.value)
    return []


def bindings(root: cst.CSTNode, skip: frozenset[int] = frozenset()) -> Bound:
    """What ``root`` binds in its scope; subtrees whose ``id`` is in ``skip`` are left out."""
    out = Bound()
    _bind(root, skip, out)
    return out


def _bind(node: cst.CSTNode, skip: frozenset[int], out: Bound) -> None:
    if id(node) in skip:
        return
    if isinstance(node, cst.Assign):
        for target in node.targets:
            out.add(target_names(target.target))
    elif isinstance(node, (cst.AnnAssign, cst.AugAssign, cst.For, cst.NamedExpr)):
        out.add(target_names(node.target))
        if isinstance(node, cst.AnnAssign) and isinstance(node.target, cst.Name):
            out.annotated.add(node.target.value)
    elif isinstance(node, cst.Del):
        out.add(target_names(node.target))
    elif isinstance(node, cst.AsName):  # with ... as x, except ... as x, import ... as x
        out.add(target_names(node.name))
    elif isinstance(node, (cst.Import, cst.ImportFrom)) and not isinstance(node.names, cst.ImportStar):
        out.add(_imported(alias) for alias in node.names if alias.asname is None)
    elif isinstance(node, (cst.MatchAs, cst.MatchStar)) and node.name is not None:
        out.add([node.name.value])
    elif isinstance(node, cst.MatchMapping) and node.rest is not None:
        out.add([node.rest.value])
    elif isinstance(node, cst.TypeAlias):
        out.add([node.name.value])
    elif isinstance(node, cst.Global):
        out.globals.update(item.name.value for item in node.names)
    elif isinstance(node, cst.Nonlocal):
        out.nonlocals.update(item.name.value for item in node.names)
    if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
        out.add([node.name.value])
    for child in same_scope_children(node):
        _bind(child, skip, out)


def _imported(alias: cst.ImportAlias) -> str:
    name: cst.BaseExpression = alias.name
    while isinstance(name, cst.Attribute):  # ``import os.path`` binds ``os``
        name = name.value
    assert isinstance(name, cst.Name)
    return name.value


def parameter_names(params: cst.Parameters) -> set[str]:
    found = [*params.posonly_params, *params.params, *params.kwonly_params]
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            found.append(star)
    return {param.name.value for param in found}


# -- which names a piece of code reads ---------------------------------------------


def all_names(node: cst.CSTNode) -> set[str]:
    """Every name under ``node`` except attribute and keyword labels (a conservative
    superset of what nested code reads)."""
    out: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            out.add(current.value)
        elif isinstance(current, (cst.Attribute, cst.Arg)):
            stack.append(current.value)
        else:
            stack.extend(current.children)
    return out


def reads(node: cst.CSTNode) -> set[str]:
    """Names an expression reads in the scope it runs in (nested scopes: their free names,
    over-approximated; comprehension variables excluded)."""
    if isinstance(node, cst.Name):
        return {node.value}
    if isinstance(node, cst.Attribute):
        return reads(node.value)
    if isinstance(node, cst.Arg):
        return reads(node.value)
    if isinstance(node, cst.NamedExpr):
        return reads(node.value)
    if isinstance(node, cst.Param):  # its name belongs to the function it declares
        return {name for part in same_scope_children(node) for name in reads(part)}
    if isinstance(node, SCOPES):
        return scope_reads(node)
    if isinstance(node, COMPREHENSIONS):
        return _comprehension_reads(node)
    out: set[str] = set()
    for child in node.children:
        out |= reads(child)
    return out


def target_reads(node: cst.CSTNode) -> set[str]:
    """Names an assignment target reads: ``self`` in ``self.x = ...``, nothing in ``x = ...``."""
    if isinstance(node, cst.Name):
        return set()
    if isinstance(node, (cst.Tuple, cst.List)):
        return {name for element in node.elements for name in target_reads(element.value)}
    if isinstance(node, cst.StarredElement):
        return target_reads(node.value)
    return reads(node)


def scope_reads(node: cst.FunctionDef | cst.Lambda | cst.ClassDef) -> set[str]:
    """What defining ``node`` reads now, plus every name its body may read later."""
    out: set[str] = set()
    for child in same_scope_children(node):
        out |= reads(child)
    if isinstance(node, cst.ClassDef):
        return out | all_names(node.body)
    own = parameter_names(node.params)
    if isinstance(node, cst.FunctionDef):
        bound = bindings(node.body)
        own |= set(bound.names) - bound.nonlocals - bound.globals
    return out | (all_names(node.body) - own)


def _comprehension_reads(node: cst.BaseComp) -> set[str]:
    first = node.for_in
    out = reads(first.iter)  # evaluated in the enclosing scope
    local: set[str] = set()
    inner: list[cst.CSTNode] = []
    parts: list[cst.CSTNode] = (
        [node.key, node.value] if isinstance(node, cst.DictComp) else [cast(cst.BaseSimpleComp, node).elt]
    )
    comp: cst.CompFor | None = first
    while comp is not None:
        local.update(target_names(comp.target))
        inner.append(comp.target)
        if comp is not first:
            parts.append(comp.iter)
        parts.extend(comp.ifs)
        comp = comp.inner_for_in
    found: set[str] = set()
    for part in parts:
        found |= reads(part)
    for target in inner:
        found |= target_reads(target)
    return out | (found - local)


# -- reads that are not preceded by a binding --------------------------------------


class Flow:
    """Names read where no binding of them is certain to come first.

    Statement lists are walked in order with the set of names already bound; a binding
    inside a compound statement does not count after it (it may not have run). With a
    ``block``, that statement binds ``killed`` where it stands: a read after it may see
    the block's value, and so may any read in a statement around it (a loop goes round).
    """

    def __init__(
        self,
        block: cst.CSTNode | None = None,
        around: frozenset[int] = frozenset(),
        killed: frozenset[str] = frozenset(),
    ) -> None:
        self.block, self.around, self.killed = block, around, killed
        self.found: set[str] = set()

    def read(self, names: set[str], bound: set[str]) -> None:
        self.found |= names - bound

    def body(self, suite: cst.BaseSuite | Sequence[cst.CSTNode], bound: set[str]) -> None:
        statements: Sequence[cst.CSTNode] = suite.body if isinstance(suite, cst.BaseSuite) else suite
        bound = set(bound)
        for statement in statements:
            self.statement(statement, bound)

    def statement(self, node: cst.CSTNode, bound: set[str]) -> None:
        if node is self.block:
            bound -= self.killed
            return
        if isinstance(node, cst.SimpleStatementLine):
            for small in node.body:
                self.small(small, bound)
            return
        if isinstance(node, cst.BaseSmallStatement):  # in a one-line suite
            self.small(node, bound)
            return
        around = id(node) in self.around
        inner = bound - self.killed if around else set(bound)
        self.compound(node, inner)
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            bound.add(node.name.value)
        if around:
            bound -= self.killed

    def small(self, node: cst.CSTNode, bound: set[str]) -> None:
        if isinstance(node, cst.Assign):
            self.read(reads(node.value), bound)
            for target in node.targets:
                self.read(target_reads(target.target), bound)
            for target in node.targets:
                bound.update(target_names(target.target))
        elif isinstance(node, cst.AnnAssign):
            self.read(reads(node.annotation) | target_reads(node.target), bound)
            if node.value is not None:
                self.read(reads(node.value), bound)
                bound.update(target_names(node.target))
        elif isinstance(node, cst.AugAssign):
            self.read(reads(node.target) | reads(node.value), bound)
            bound.update(target_names(node.target))
        elif isinstance(node, cst.Del):
            names = set(target_names(node.target))
            self.read(names | target_reads(node.target), bound)
            bound -= names
        elif isinstance(node, (cst.Import, cst.ImportFrom)):
            bound.update(bindings(node).names)
        elif not isinstance(node, (cst.Global, cst.Nonlocal)):
            self.read(reads(node), bound)

    def compound(self, node: cst.CSTNode, bound: set[str]) -> None:
        if isinstance(node, SCOPES):
            self.read(scope_reads(node), bound)
        elif isinstance(node, (cst.If, cst.While)):
            self.read(reads(node.test), bound)
            self.body(node.body, bound)
            if node.orelse is not None:
                if isinstance(node.orelse, cst.If):
                    self.statement(node.orelse, set(bound))
                else:
                    self.body(node.orelse.body, bound)
        elif isinstance(node, cst.For):
            self.read(reads(node.iter) | target_reads(node.target), bound)
            self.body(node.body, bound | set(target_names(node.target)))
            if node.orelse is not None:
                self.body(node.orelse.body, bound)
        elif isinstance(node, cst.With):
            inner = set(bound)
            for item in node.items:
                self.read(reads(item.item), inner)
                if item.asname is not None:
                    self.read(target_reads(item.asname.name), inner)
                    inner.update(target_names(item.asname.name))
            self.body(node.body, inner)
        elif isinstance(node, (cst.Try, cst.TryStar)):
            self.body(node.body, bound)
            for handler in node.handlers:
                if handler.type is not None:
                    self.read(reads(handler.type), bound)
                name = handler.name
                self.body(handler.body, bound | set(target_names(name.name) if name else []))
            for extra in (node.orelse, node.finalbody):
                if extra is not None:
                    self.body(extra.body, bound)
        elif isinstance(node, cst.Match):
            self.read(reads(node.subject), bound)
            for case in node.cases:
                captured = bound | set(bindings(case.pattern).names)
                self.read(reads(case.pattern), bound)
                if case.guard is not None:
                    self.read(reads(case.guard), captured)
                self.body(case.body, captured)
        else:  # anything new: every name it mentions is a read
            self.read(all_names(node), set())
