"""extract: move a whole ``with`` block into a nested function run in a worker thread.

The fallback for a ``with open(p) as f:`` block that aiofiles cannot convert (the handle
is passed to ``csv.reader(f)``, read in a lambda, stored...): wrapping only ``open()``
would leave every read on the loop, so the whole statement moves instead::

    with open(path, "rb") as f:                def _blocking_io():
        for chunk in iter(lambda: ...):   ->        with open(path, "rb") as f:
            h.update(chunk)                             for chunk in iter(lambda: ...):
                                                            h.update(chunk)
                                                await asyncio.to_thread(_blocking_io)

The target is a call entering the ``with`` statement (the edit aiofiles gets); the
thread hop is wrap's (``offload``: ``asyncio.to_thread``, ``<backend>.to_thread.run_sync``,
``run_in_executor`` before 3.9). The function is named ``_blocking_io`` (``_2``, ... when
the name is taken, or for the next block of the same function).

Refused, never approximated:
- ``await``, ``async for``/``with``, ``yield``, ``return`` in the block, or a ``break``/
  ``continue`` that leaves it; ``global``/``nonlocal`` statements in it; zero-argument
  ``super()`` and ``locals()``-like calls, which would see the new function instead;
- a name the block binds whose value crosses the block's edge (read after it, or read in
  it before the block binds it) must be written back with ``nonlocal`` (``global`` when
  the function declares it so), which needs a binding outside the block: a name *first*
  bound in the block and used after it is refused, as is an annotated one.
A name that only lives in the block (the handle, loop variables) stays local to the new
function. Reads are tracked per statement list, so ``f`` in a later ``with ... as f``
block or ``line`` in a later ``for line in ...`` does not count as a use.

Fix safety: the block runs in another thread while the loop runs other tasks; objects it
shares with them are no longer protected by running on one thread, and a thread-affine
object (a sqlite3 connection made on the loop) used in the block breaks. Every call of
the block runs in the thread, so the edits targeting them are absorbed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import cast

import libcst as cst

from .base import Plan, Refusal, RewriteContext, Site, Strategy
from .command import AsyncifyCommand
from .wrap import offload

FUNCTION_NAME = "_blocking_io"
SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)
COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
# Calls that read the calling frame: moved into a new function they would see another one.
FRAME_CALLS = {"locals": 0, "vars": 0, "dir": 0, "exec": 1, "eval": 1}


# -- what a block may contain ------------------------------------------------------


def _control_problem(node: cst.CSTNode, in_loop: bool = False) -> str | None:
    """Why ``node`` (part of the block) cannot run as the body of a sync function."""
    problem = _own_problem(node, in_loop)
    if problem is not None:
        return problem
    if isinstance(node, (cst.For, cst.While)):
        head: list[cst.CSTNode] = [node.target, node.iter] if isinstance(node, cst.For) else [node.test]
        parts = [(child, in_loop) for child in head] + [(node.body, True)]
        if node.orelse is not None:
            parts.append((node.orelse, in_loop))  # ``break`` in ``else:`` is the outer loop's
    else:
        parts = [(child, in_loop) for child in _same_scope_children(node)]
    for child, loop in parts:
        problem = _control_problem(child, loop)
        if problem is not None:
            return problem
    return None


def _own_problem(node: cst.CSTNode, in_loop: bool) -> str | None:
    if isinstance(node, cst.Await):
        return "the block contains `await`"
    if isinstance(node, (cst.For, cst.With)) and node.asynchronous is not None:
        return f"the block contains `async {'for' if isinstance(node, cst.For) else 'with'}`"
    if isinstance(node, cst.CompFor) and node.asynchronous is not None:
        return "the block contains an async comprehension"
    if isinstance(node, cst.Yield):
        return "the block contains `yield`"
    if isinstance(node, cst.Return):
        return "the block contains `return`"
    if isinstance(node, (cst.Break, cst.Continue)) and not in_loop:
        word = "break" if isinstance(node, cst.Break) else "continue"
        return f"`{word}` would leave the block"
    if isinstance(node, (cst.Global, cst.Nonlocal)):
        word = "global" if isinstance(node, cst.Global) else "nonlocal"
        return f"the block declares `{word} {', '.join(item.name.value for item in node.names)}`"
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name):
        name = node.func.value
        if name == "super" and not node.args:
            return "the block calls `super()` without arguments"
        if name in FRAME_CALLS and len(node.args) <= FRAME_CALLS[name]:
            return f"the block calls `{name}()`, which would see the new function's variables"
    return None


def _same_scope_children(node: cst.CSTNode) -> list[cst.CSTNode]:
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


# -- names bound at the function's level -------------------------------------------


@dataclass
class _Bound:
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


def bindings(root: cst.CSTNode, skip: frozenset[int] = frozenset()) -> _Bound:
    """What ``root`` binds in its scope; subtrees whose ``id`` is in ``skip`` are left out."""
    out = _Bound()
    _bind(root, skip, out)
    return out


def _bind(node: cst.CSTNode, skip: frozenset[int], out: _Bound) -> None:
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
    for child in _same_scope_children(node):
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
        return {name for part in _same_scope_children(node) for name in reads(part)}
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
    for child in _same_scope_children(node):
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


class _Flow:
    """Names read where no binding of them is certain to come first.

    Statement lists are walked in order with the set of names already bound; a binding
    inside a compound statement does not count after it (it may not have run). With a
    ``block``, that statement binds ``killed`` where it stands: a read after it may see
    the block's value, and so may any read in a statement around it (a loop goes round).
    """

    def __init__(self, block: cst.CSTNode | None = None, around: frozenset[int] = frozenset(),
                 killed: frozenset[str] = frozenset()) -> None:
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


# -- the plan ------------------------------------------------------------------------


def _function_of(ancestors: Sequence[cst.CSTNode]) -> cst.FunctionDef | None:
    for node in reversed(ancestors):
        if isinstance(node, cst.FunctionDef):
            return node
    return None


def _with_of(site: Site) -> cst.With | None:
    item, block = site.parent, site.ancestors[-2] if len(site.ancestors) > 1 else None
    if isinstance(item, cst.WithItem) and item.item is site.call and isinstance(block, cst.With):
        return block
    return None


def _declarations(
    func: cst.FunctionDef, block: cst.With, around: Sequence[cst.CSTNode], others: Sequence[cst.With]
) -> list[tuple[str, str]] | Refusal:
    """``(keyword, name)`` for each name the new function must write back, or why not."""
    inside = bindings(block)
    outside = bindings(func.body, frozenset({id(block)}))
    kept = set(bindings(func.body, frozenset({id(block), *map(id, others)})).names)
    params = parameter_names(func.params)
    in_loop = any(isinstance(node, (cst.For, cst.While)) for node in around)
    before = _Flow()
    before.statement(block, set())
    after = _Flow(block, frozenset(map(id, around)), frozenset(inside.names))
    after.body(func.body, set())
    out: list[tuple[str, str]] = []
    for name in inside.names:
        if name in outside.globals or name in outside.nonlocals:
            out.append(("global" if name in outside.globals else "nonlocal", name))
            continue
        bound_elsewhere = name in params or name in outside.names
        read_first = name in before.found and (bound_elsewhere or in_loop)
        if name not in after.found and not read_first:
            continue  # lives and dies in the block
        if name in inside.annotated:
            return Refusal(f"`{name}` is annotated inside the block, so it cannot be declared nonlocal")
        if name in params or name in kept:
            out.append(("nonlocal", name))
        elif name in after.found:
            return Refusal(f"`{name}` is first bound inside the block and used outside it")
        else:
            return Refusal(f"`{name}` is read inside the block before the block binds it")
    return out


def _extract_sites(ctx: RewriteContext, func: cst.FunctionDef) -> list[tuple[Site, cst.With]]:
    """The extract edits of ``func`` (not of functions nested in it, nor inside another
    extract edit's block), in source order."""
    found = []
    for other in ctx.sites.values():
        block = _with_of(other)
        if other.strategy == "extract" and block is not None and _function_of(other.ancestors) is func:
            found.append((other, block))
    blocks = {id(block) for _, block in found}
    return [(s, b) for s, b in found if not any(id(node) in blocks for node in s.ancestors[:-2])]


def _function_name(site: Site, ctx: RewriteContext, func: cst.FunctionDef) -> str:
    """``_blocking_io``, numbered after the function's earlier extract edits, never a
    name the module already uses."""
    taken = all_names(site.ancestors[0])
    blocks: list[cst.With] = []
    for _, block in _extract_sites(ctx, func):
        if not any(block is seen for seen in blocks):  # ``with open(a) as f, open(b) as g``
            blocks.append(block)
    mine = _with_of(site)
    count = next((i for i, block in enumerate(blocks) if block is mine), 0)
    number = 1
    while True:
        name = FUNCTION_NAME if number == 1 else f"{FUNCTION_NAME}_{number}"
        if name not in taken:
            if count == 0:
                return name
            count -= 1
        number += 1


def _run_by(block: cst.With) -> list[cst.CSTNode]:
    """The nodes the block runs itself (not those in functions it defines)."""
    found: list[cst.CSTNode] = []
    stack: list[cst.CSTNode] = [block]
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(_same_scope_children(node))
    return found


def _declaration_lines(declared: Sequence[tuple[str, str]]) -> list[cst.SimpleStatementLine]:
    lines = []
    for keyword, kind in (("global", cst.Global), ("nonlocal", cst.Nonlocal)):
        names = [cst.NameItem(cst.Name(name)) for word, name in declared if word == keyword]
        if names:
            lines.append(cst.SimpleStatementLine(body=[kind(names=names)]))
    return lines


def plan_extract(site: Site, ctx: RewriteContext) -> Plan | Refusal:
    """Replace the ``with`` statement by a nested function holding it and its awaited
    offload."""
    block = _with_of(site)
    if block is None:
        return Refusal("the call is not the context manager of a with statement")
    if block.asynchronous is not None:
        return Refusal("the with statement is already async")
    index = next(i for i, node in enumerate(site.ancestors) if node is block)
    func = _function_of(site.ancestors[:index])
    if func is None or func.asynchronous is None:
        return Refusal("the with statement is not in an async function")
    problem = _control_problem(block)
    if problem is not None:
        return Refusal(problem)
    start = next(i for i, node in enumerate(site.ancestors) if node is func)
    around = site.ancestors[start + 1 : index]  # the statements the block is nested in
    others = [other for _, other in _extract_sites(ctx, func) if other is not block]
    declared = _declarations(func, block, around, others)
    if isinstance(declared, Refusal):
        return declared
    name = _function_name(site, ctx, func)
    runner, modules = offload(cst.Call(func=cst.Name(name)), ctx.backend, ctx.target_version, ctx.ref)

    def rewrite(node: cst.CSTNode) -> cst.CSTNode:
        assert isinstance(node, cst.With)
        body = [*_declaration_lines(declared), node.with_changes(leading_lines=())]
        nested = cst.FunctionDef(
            name=cst.Name(name),
            params=cst.Parameters(),
            body=cst.IndentedBlock(body=body),
            leading_lines=node.leading_lines,
        )
        call = cst.SimpleStatementLine(body=[cst.Expr(cst.Await(runner))])
        # One statement becomes two: the engine's transformer hands the sentinel back to
        # libcst, which splices both into the enclosing block.
        return cast(cst.CSTNode, cst.FlattenSentinel([nested, call]))

    run = _run_by(block)
    pinned = next((ctx.pinned[id(node)] for node in run if id(node) in ctx.pinned), None)
    if pinned is not None:
        return Refusal(f"the block would run in a worker thread, but {pinned}")
    claims = tuple(node for node in run if isinstance(node, cst.Call) and node is not site.call)
    # Loops are reserved too: aiofiles on an enclosing block would make one ``async for``
    # inside the new sync function; with them taken, its plan is refused as an overlap.
    loops = tuple((node, _unchanged) for node in run if isinstance(node, (cst.For, cst.CompFor)))
    return Plan(rewrites=((block, rewrite), *loops), imports=modules, claims=claims)


def _unchanged(node: cst.CSTNode) -> cst.CSTNode:
    return node


STRATEGY = Strategy(
    name="extract",
    plan=plan_extract,
    priority=5,
    description="run the whole with block in a worker thread (nested def + to_thread)",
)


class ExtractCommand(AsyncifyCommand):
    """Standalone libcst codemod: move ``with`` blocks of async code to a worker thread."""

    DESCRIPTION = (
        "Move a `with open(p) as f:` block of async code into a nested function awaited with "
        "`asyncio.to_thread` (anyio/trio: `to_thread.run_sync`); names the block sets for "
        "later code are written back with `nonlocal`."
    )
    STRATEGY = "extract"
