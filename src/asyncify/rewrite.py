"""The rewrite engine: apply every planned edit of one file in one pass, safely.

``rewrite_module`` parses once, locates each edit's call by position, asks the edit's
codemod (``asyncify.codemods``) for a plan, applies all plans in one libcst transformer
pass (post-order, so nested edits compose inner first), adds the needed imports once,
then re-parses and compiles the result. It never raises: anything it cannot do safely is
a refusal with a one-line reason, and a result that does not compile is refused whole so
the caller gets the original text back (PRODUCT "Safety"; STYLE 8-10).

Only ``PositionProvider`` metadata is resolved; the ancestors each codemod needs come
from a stack kept while locating, which is cheaper than scope analysis and enough to
decide where ``await`` is allowed.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar, cast

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from asyncify.codemods import registry
from asyncify.codemods.base import NOT_DECLARED, Codemod, NodeRewrite, Plan, Refusal, RewriteContext, Site
from asyncify.codemods.context import await_blocker
from asyncify.codemods.imports import ImportSections, add_imports, module_names, record_import
from asyncify.codemods.line_length import wrap_long_lines
from asyncify.dependencies import fallback_note
from asyncify.edits import Edit, RewriteOptions, RewriteOutcome
from asyncify.parsing import compile_module
from asyncify.scan.summary import Span
from asyncify.scan.worker import call_with_deep_stack
from asyncify.strict import strict_mode
from asyncify.vocabulary import RUNTIME_BACKENDS, Strategy

__all__ = ["Edit", "RewriteOptions", "RewriteOutcome", "rewrite_module", "rewrite_with_fallbacks"]

SpanKey = tuple[int, int, int, int]
TOO_DEEP = "too deeply nested to rewrite"
_Node = TypeVar("_Node", bound=cst.CSTNode)


def _key(span: Span) -> SpanKey:
    return (span.line, span.column, span.end_line, span.end_column)


def module_code(module: cst.Module, original: str) -> str:
    """``module.code``, with the final lone ``\r`` libcst drops from a file whose lines
    end in carriage returns alone (old Mac style) put back: the bytes it did not edit
    stay the bytes they were."""
    code = module.code
    if original.endswith("\r") and not code.endswith(("\r", "\n")):
        code += "\r"
    return code


def first_line(exc: BaseException) -> str:
    """``Type: first line of the message``; never raises (a message may itself recurse)."""
    try:
        text = str(exc).strip().splitlines()
    except Exception:  # str() of a deeply nested KeyError recurses again
        text = []
    return f"{type(exc).__name__}: {text[0] if text else ''}".rstrip(": ")


class _Locator(cst.CSTVisitor):
    """Find the calls at the wanted spans, with their ancestors, and the module's imports.

    Subtrees whose lines hold no wanted span are skipped (their imports still count).
    """

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, wanted: set[SpanKey]) -> None:
        super().__init__()
        self.wanted = wanted
        self.lines = sorted({key[0] for key in wanted})
        self.stack: list[cst.CSTNode] = []
        self.found: dict[SpanKey, tuple[cst.Call, tuple[cst.CSTNode, ...]]] = {}
        self.aliases: dict[str, str] = {}

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.stack.append(node)
        if isinstance(node, cst.SimpleStatementLine):
            for small in node.body:
                if isinstance(small, (cst.Import, cst.ImportFrom)):
                    record_import(small, self.aliases)
        if isinstance(node, (cst.Module, cst.FunctionDef, cst.ClassDef)):
            return True  # a def's position starts after its decorators
        pos = self.get_metadata(PositionProvider, node)
        index = bisect.bisect_left(self.lines, pos.start.line)
        if index == len(self.lines) or self.lines[index] > pos.end.line:
            return False
        if isinstance(node, cst.Call):
            key = (pos.start.line, pos.start.column + 1, pos.end.line, pos.end.column + 1)
            if key in self.wanted:
                self.found[key] = (node, tuple(self.stack[:-1]))
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.stack.pop()


class _Applier(cst.CSTTransformer):
    """Replace planned nodes, post-order: a rewrite sees its children already rewritten.

    Only the ancestors of the edited calls and the inside of rewritten nodes are
    entered; the rest of the module is left as parsed, which is most of it.
    """

    def __init__(self, rewrites: dict[int, list[NodeRewrite]], enter: set[int]) -> None:
        super().__init__()
        self.rewrites, self.enter = rewrites, enter
        self.inside = 0

    def on_visit(self, node: cst.CSTNode) -> bool:
        if id(node) in self.rewrites:
            self.inside += 1
            return True
        return self.inside > 0 or id(node) in self.enter

    def on_leave(
        self, original_node: _Node, updated_node: _Node
    ) -> _Node | cst.RemovalSentinel | cst.FlattenSentinel[_Node]:
        rewrites = self.rewrites.get(id(original_node))
        if not rewrites:
            return updated_node
        self.inside -= 1
        node: cst.CSTNode = updated_node
        for rewrite in rewrites:
            node = rewrite(node)
        # libcst types on_leave as type-preserving; swapping a Call for an Await (an
        # expression for an expression) is what transformers routinely do.
        return cast(_Node, node)


GENERATED_INDENT = re.compile(r"[ \t]+")


def parse_for_rewrite(source: str) -> cst.Module:
    """libcst's tree of ``source``, ready for code to be added to it.

    libcst infers the indentation of new code from the first indented line, and when that
    line's indentation holds a form feed (legal Python) it rejects its own module the
    moment a visitor asks for the parser configuration. New code then gets four spaces;
    the file's own lines keep what they have.
    """
    module = cst.parse_module(source)
    if GENERATED_INDENT.fullmatch(module.default_indent) is None:
        module = module.with_changes(default_indent="    ")
    return module


def rewrite_module(
    source: str,
    edits: Sequence[Edit],
    options: RewriteOptions,
    *,
    filename: str = "<unknown>",
    pinned: Mapping[Span, str] | None = None,
) -> RewriteOutcome:
    """Apply ``edits`` to ``source``; every edit ends up either applied or refused.

    libcst recurses once per level of syntax, so deeply nested code (a few hundred
    ``elif`` branches) runs out of recursion; that is retried once with a deep stack, as
    the scan does (``asyncify.gate`` keeps files beyond the native parser's reach away).
    ``pinned``: calls that must stay on the event loop's thread, with why
    (``RewriteContext.pinned``).
    """
    pinned = pinned or {}
    if not edits:
        return RewriteOutcome(source, (), {})
    if options.backend not in RUNTIME_BACKENDS:
        return _refuse_all(source, edits, f"unknown backend {options.backend!r}")
    try:
        return _parse_and_rewrite(source, edits, options, filename, pinned)
    except RecursionError:
        pass
    try:
        return call_with_deep_stack(lambda: _parse_and_rewrite(source, edits, options, filename, pinned))
    except (RecursionError, RuntimeError) as exc:
        return _refuse_all(source, edits, f"{TOO_DEEP} ({first_line(exc)})")


def _parse_and_rewrite(
    source: str, edits: Sequence[Edit], options: RewriteOptions, filename: str, pinned: Mapping[Span, str]
) -> RewriteOutcome:
    """Parse and rewrite; only ``RecursionError`` escapes (the caller retries it)."""
    try:
        module = parse_for_rewrite(source)
    except Exception as exc:
        _reraise_recursion(exc)
        return _refuse_all(source, edits, f"cannot parse: {first_line(exc)}")
    try:
        return _rewrite(module, source, edits, options, filename, pinned)
    except Exception as exc:  # a codemod bug must not take the whole run down
        _reraise_recursion(exc)
        if strict_mode():
            raise
        return _refuse_all(source, edits, f"internal error: {first_line(exc)}")


def _reraise_recursion(exc: BaseException) -> None:
    """Raise ``RecursionError`` when ``exc`` is one or was raised while handling one:
    libcst's position metadata runs its code generation inside a context manager whose
    exit, unwinding a ``RecursionError``, raises a ``KeyError`` instead (one per level
    unwound, so the chain is as long as the code is deep)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, RecursionError):
            raise RecursionError("maximum recursion depth exceeded") from None
        seen.add(id(current))
        current = current.__context__


FINAL_REFUSALS = ("await not allowed", "the call is already awaited", "a threading lock")
"""Refusals no other strategy can do better on: they are about the call's place, not the
codemod (an ``await`` is not allowed there, a lock is held around it)."""


def rewrite_with_fallbacks(
    source: str,
    edits: Sequence[Edit],
    options: RewriteOptions,
    *,
    filename: str = "<unknown>",
    pinned: Mapping[Span, str] | None = None,
) -> RewriteOutcome:
    """``rewrite_module``, retrying each refused edit along its codemod's ``fallbacks``
    (aiofiles -> extract -> wrap; collect -> extract), one step at a time. A refusal that
    stands after a fallback keeps the first strategy's reason too."""
    codemods = registry()
    chains = {e.key: _fallbacks(codemods.get(e.strategy)) for e in edits}
    first: dict[int, str] = {}
    outcome = rewrite_module(source, edits, options, filename=filename, pinned=pinned)
    step = 0
    while True:
        retry = {}
        for edit in edits:
            reason = outcome.refused.get(edit.key)
            chain = chains[edit.key]
            if reason is None or step >= len(chain) or reason.startswith(FINAL_REFUSALS):
                continue
            if step == 0 and not _may_fall_back(codemods.get(edit.strategy), reason):
                continue
            retry[edit.key] = chain[step]
            first.setdefault(edit.key, reason)
        if not retry:
            break
        edits = [Edit(e.span, retry[e.key], e.key) if e.key in retry else e for e in edits]
        outcome = rewrite_module(source, edits, options, filename=filename, pinned=pinned)
        step += 1
    for edit in edits:
        reason = outcome.refused.get(edit.key)
        if reason is not None and edit.key in first and edit.strategy is Strategy.EXTRACT:
            outcome.refused[edit.key] = f"{first[edit.key]}; moving the whole block to a thread: {reason}"
        module, declared, rest = first.get(edit.key, "").partition(NOT_DECLARED)
        if declared and not rest and edit.key in outcome.applied:
            outcome.notes[edit.key] = fallback_note(module)
    return outcome


def _fallbacks(codemod: Codemod | None) -> tuple[Strategy, ...]:
    return () if codemod is None else codemod.fallbacks


def _may_fall_back(codemod: Codemod | None, reason: str) -> bool:
    """Whether the codemod's ``fallback_reasons`` (if any) let this refusal be retried."""
    if codemod is None or not codemod.fallback_reasons:
        return True
    return any(wanted in reason for wanted in codemod.fallback_reasons)


def _refuse_all(source: str, edits: Sequence[Edit], reason: str) -> RewriteOutcome:
    return RewriteOutcome(source, (), {edit.key: reason for edit in edits})


def _rewrite(
    module: cst.Module,
    source: str,
    edits: Sequence[Edit],
    options: RewriteOptions,
    filename: str,
    pinned: Mapping[Span, str],
) -> RewriteOutcome:
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)  # freshly parsed, not shared
    locator = _Locator({_key(edit.span) for edit in edits} | {_key(span) for span in pinned})
    wrapper.visit(locator)
    refused: dict[int, str] = {}
    sites = _sites(edits, locator, refused)
    ctx = RewriteContext(
        backend=options.backend,
        target_version=options.target_version,
        aliases=locator.aliases,
        sites={id(site.call): site for site in sites},
        modules=module_names(source),
        pinned={id(locator.found[_key(span)][0]): why for span, why in pinned.items() if _key(span) in locator.found},
        undeclared=options.undeclared,
    )
    planned = _plan(sites, ctx, refused)
    if not planned.applied:
        return RewriteOutcome(source, (), refused)
    style = options.style
    sections = ImportSections(style.first_party, style.third_party, style.local, style.force_sort_within_sections)
    new = add_imports(
        wrapper.module.visit(_Applier(planned.rewrites, planned.enter)), planned.imports, ctx.modules, sections
    )
    code = module_code(new, source)
    split = wrap_long_lines(new, source, style.line_length, code)
    wrapped = code if split is new else module_code(split, source)
    problem = _compile_problem(wrapped, source, filename)
    if problem is None:
        code = wrapped
    elif wrapped != code:  # the split is at fault, not the edits: keep the long lines
        problem = _compile_problem(code, source, filename)
    if problem is not None:
        refused.update({key: problem for key in planned.applied})
        return RewriteOutcome(source, (), refused)
    return RewriteOutcome(code, tuple(sorted(planned.applied)), refused, absorbed=planned.absorbed)


def _sites(edits: Sequence[Edit], locator: _Locator, refused: dict[int, str]) -> list[Site]:
    """The located edits, in planning order; the others go to ``refused``."""
    codemods = registry()
    sites: list[Site] = []
    seen: set[SpanKey] = set()
    for edit in edits:
        span, key = edit.span, _key(edit.span)
        if edit.strategy not in codemods:
            refused[edit.key] = f"unknown strategy {edit.strategy!r}"
        elif key not in locator.found:
            refused[edit.key] = f"call not found at {span.line}:{span.column}"
        elif key in seen:
            refused[edit.key] = f"another edit targets the call at {span.line}:{span.column}"
        else:
            seen.add(key)
            call, ancestors = locator.found[key]
            sites.append(Site(edit.key, edit.strategy, call, ancestors))
    # Outermost first among calls that start together (a receiver chain), so that a plan
    # may claim the calls its receiver is made of (wrap's one thread for ``open(p).read()``).
    order = {edit.key: (edit.span.line, edit.span.column, -edit.span.end_line, -edit.span.end_column) for edit in edits}
    sites.sort(key=lambda s: (codemods[s.strategy].priority, order[s.key]))
    return sites


@dataclass
class _Planned:
    """The accepted plans of one file, merged for the single transformer pass."""

    rewrites: dict[int, list[NodeRewrite]] = field(default_factory=dict)
    claimed: dict[int, int] = field(default_factory=dict)  # id(call) -> key that owns it
    enter: set[int] = field(default_factory=set)
    imports: set[str] = field(default_factory=set)
    applied: list[int] = field(default_factory=list)
    absorbed: dict[int, int] = field(default_factory=dict)


def _plan(sites: Sequence[Site], ctx: RewriteContext, refused: dict[int, str]) -> _Planned:
    """Check each site's ``await`` context, ask its strategy, and merge what is accepted."""
    codemods = registry()
    out = _Planned()
    for site in sites:
        if id(site.call) in out.claimed:
            continue
        reason = await_blocker(site.ancestors, site.call, ctx.aliases)
        plan: Plan | Refusal = Refusal(reason) if reason else codemods[site.strategy].plan(site, ctx)
        if isinstance(plan, Plan):
            plan = _check_overlap(plan, out.rewrites, out.claimed)
        if isinstance(plan, Refusal):
            refused[site.key] = plan.reason
            continue
        for node, rewrite in plan.rewrites:
            out.rewrites.setdefault(id(node), []).append(rewrite)
        out.enter.update(id(node) for node in site.ancestors)
        out.claimed[id(site.call)] = site.key
        for node in plan.claims:
            out.claimed[id(node)] = site.key
            other = ctx.site_of(node)
            if other is not None:
                refused.pop(other.key, None)
                out.applied.append(other.key)
                out.absorbed[other.key] = site.key
        out.applied.append(site.key)
        out.imports |= plan.imports
    return out


def _check_overlap(plan: Plan, rewrites: dict[int, list[NodeRewrite]], claimed: dict[int, int]) -> Plan | Refusal:
    """Refuse a plan that would rewrite or absorb a node another applied plan owns."""
    if any(id(node) in rewrites for node, _ in plan.rewrites):
        return Refusal("overlaps another edit")
    if any(id(node) in claimed or id(node) in rewrites for node in plan.claims):
        return Refusal("overlaps another edit")
    return plan


def _compile_problem(code: str, original: str, filename: str) -> str | None:
    """Why ``code`` cannot be written, or ``None`` when it compiles.

    ``compile`` re-parses with CPython's own parser and also rejects what only the
    compiler sees (``await`` outside an async function, ``return`` with a value in an
    async generator), so a second libcst parse would add time and no safety.
    """
    try:
        compile_module(code, filename)
    except (SyntaxError, ValueError) as exc:
        try:
            compile_module(original, filename)
        except (SyntaxError, ValueError):
            return f"input does not compile: {first_line(exc)}"
        line = getattr(exc, "lineno", None)
        where = f" (line {line})" if line else ""
        return f"result does not compile: {first_line(exc)}{where}"
    return None
