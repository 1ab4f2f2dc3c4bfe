"""extract: move a whole ``with`` block into a nested function run in a worker thread.

The fallback for a ``with open(p) as f:`` block that aiofiles cannot convert (the handle
is passed to ``csv.reader(f)``, read in a lambda, stored...): wrapping only ``open()``
would leave every read on the loop, so the whole statement moves instead::

    with open(path, "rb") as f:                def _read_file() -> None:
        for chunk in iter(lambda: ...):   ->        with open(path, "rb") as f:
            h.update(chunk)                             for chunk in iter(lambda: ...):
                                                            h.update(chunk)

                                                await asyncio.to_thread(_read_file)

The target is a call entering the ``with`` statement (the edit aiofiles gets); the
thread hop is wrap's (``offload``: ``asyncio.to_thread``, ``<backend>.to_thread.run_sync``,
``run_in_executor`` before 3.9). The function is named after the block
(``helper_names``: ``_read_report`` for ``with open(report_path) as f:``; ``_2``, ... when
the name is taken, or for the next block of the same function that derives it), returns
``None`` (values come back through ``nonlocal``), and has a blank line before and after
it, as PEP 8 and black want around a nested definition.

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

from collections.abc import Sequence
from typing import cast

import libcst as cst

from asyncify.vocabulary import Strategy

from .base import Codemod, Plan, Refusal, RewriteContext, Site
from .bindings import Flow, all_names, bindings, parameter_names, same_scope_children
from .helper_names import helper_name
from .wrap import offload, offload_refusal

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
        parts = [(child, in_loop) for child in same_scope_children(node)]
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
    before = Flow()
    before.statement(block, set())
    after = Flow(block, frozenset(map(id, around)), frozenset(inside.names))
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
        if other.strategy == Strategy.EXTRACT and block is not None and _function_of(other.ancestors) is func:
            found.append((other, block))
    blocks = {id(block) for _, block in found}
    return [(s, b) for s, b in found if not any(id(node) in blocks for node in s.ancestors[:-2])]


def _function_name(site: Site, ctx: RewriteContext, func: cst.FunctionDef) -> str:
    """The block's name (``helper_names``: ``_read_report``), numbered after the
    function's earlier extract edits that derive the same one, never a name the module
    already uses."""
    taken = all_names(site.ancestors[0])
    blocks: list[cst.With] = []
    for _, block in _extract_sites(ctx, func):
        if not any(block is seen for seen in blocks):  # ``with open(a) as f, open(b) as g``
            blocks.append(block)
    mine = _with_of(site)
    assert mine is not None
    base = helper_name(mine, func.name.value)
    earlier = blocks[: next((i for i, block in enumerate(blocks) if block is mine), 0)]
    count = sum(1 for block in earlier if helper_name(block, func.name.value) == base)
    number = 1
    while True:
        name = base if number == 1 else f"{base}_{number}"
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
        stack.extend(same_scope_children(node))
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
    refusal = offload_refusal(ctx.backend, ctx.target_version)
    if refusal is not None:
        return refusal
    name = _function_name(site, ctx, func)
    runner, modules = offload(cst.Call(func=cst.Name(name)), ctx.backend, ctx.target_version, ctx.ref)

    first = _first_in_block(site.ancestors[index - 1], block)

    def rewrite(node: cst.CSTNode) -> cst.CSTNode:
        assert isinstance(node, cst.With)
        body = [*_declaration_lines(declared), node.with_changes(leading_lines=())]
        nested = cst.FunctionDef(
            name=cst.Name(name),
            params=cst.Parameters(),
            body=cst.IndentedBlock(body=body),
            returns=cst.Annotation(cst.Name("None")),
            leading_lines=_blank_before(node.leading_lines, first),
        )
        # PEP 8 and black: a blank line around a nested definition.
        call = cst.SimpleStatementLine(body=[cst.Expr(cst.Await(runner))], leading_lines=[cst.EmptyLine(indent=False)])
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


def _first_in_block(parent: cst.CSTNode, block: cst.With) -> bool:
    """Whether ``block`` opens the body it sits in (no blank line goes before it there)."""
    body = getattr(parent, "body", ())
    return bool(body) and isinstance(body, (list, tuple)) and body[0] is block


def _blank_before(lines: Sequence[cst.EmptyLine], first: bool) -> Sequence[cst.EmptyLine]:
    """The block's leading lines (its comments), with a blank line first unless one is
    there already or the definition opens its body."""
    if first or (lines and lines[0].comment is None):
        return lines
    return [cst.EmptyLine(indent=False), *lines]


def _unchanged(node: cst.CSTNode) -> cst.CSTNode:
    return node


CODEMOD = Codemod(
    strategy=Strategy.EXTRACT,
    plan=plan_extract,
    priority=5,
    description="run the whole with block in a worker thread (nested def + to_thread)",
)
