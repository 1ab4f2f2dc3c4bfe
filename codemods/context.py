"""Where an ``await`` may be written, and how an awaited call sits in its expression.

Both questions are answered from the chain of original ancestors, never from a flag
toggled while walking (STYLE 6): the innermost function scope decides, and a lambda,
generator expression, default argument, decorator, annotation or class body in between
forbids the ``await`` even inside an ``async def``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import libcst as cst

from .imports import resolve


def enclosing_scope(ancestors: Sequence[cst.CSTNode], node: cst.CSTNode, *, inside_block: bool = False) -> str | None:
    """``None`` when ``node`` runs directly in an async function body, else where it runs.

    The answer is a phrase for messages: ``"in a lambda"``, ``"at module level"``...
    With ``inside_block`` the chain starts at a statement already known to be in async
    code (an aiofiles ``with``): reaching its top is fine, and any function in between
    is a nested one, whatever its kind.
    """
    path = (*ancestors, node)
    for i in range(len(path) - 2, -1, -1):
        parent, child = path[i], path[i + 1]
        below = path[i + 2] if i + 2 < len(path) else None
        if isinstance(parent, cst.Lambda):
            return "in a lambda"
        if isinstance(parent, cst.GeneratorExp):
            # The outermost iterable is evaluated in the enclosing scope.
            if child is parent.for_in and below is parent.for_in.iter:
                continue
            return "in a generator expression"
        if isinstance(parent, cst.Decorator):
            return "in a decorator"
        if isinstance(parent, cst.Param) and child is parent.default:
            return "in a default argument"
        if isinstance(parent, cst.Annotation):
            return "in an annotation"
        if isinstance(parent, cst.FunctionDef) and child is parent.body:
            if inside_block:
                return "in a nested function"
            return None if parent.asynchronous is not None else "in a sync function"
        if isinstance(parent, cst.ClassDef) and child is parent.body:
            return "in a class body"
    return None if inside_block else "at module level"


def await_blocker(
    ancestors: Sequence[cst.CSTNode], node: cst.CSTNode, aliases: Mapping[str, str] | None = None
) -> str | None:
    """The refusal reason when ``await`` cannot replace ``node``, else ``None``."""
    if ancestors and isinstance(ancestors[-1], cst.Await):
        return "the call is already awaited"
    where = enclosing_scope(ancestors, node)
    if where is not None:
        return f"await not allowed {where}"
    return held_lock(ancestors, node, aliases)


LOCK_TYPES = frozenset(
    {
        "threading.Lock",
        "threading.RLock",
        "threading.Condition",
        "threading.Semaphore",
        "threading.BoundedSemaphore",
        "multiprocessing.Lock",
        "multiprocessing.RLock",
    }
)
_LOCK_WORDS = frozenset({"lock", "rlock", "mutex", "semaphore", "sem", "condition", "cond", "cv"})


def held_lock(
    ancestors: Sequence[cst.CSTNode], node: cst.CSTNode, aliases: Mapping[str, str] | None = None
) -> str | None:
    """Why ``await`` must not be written at ``node``: a thread lock held around it.

    ``with self._lock: time.sleep(1)`` blocks the loop but cannot deadlock; with an
    ``await`` there, other tasks run while the lock is held, and the first that enters
    ``with self._lock:`` blocks the loop's thread for good (the holder never resumes). A
    sync ``with`` in the same function counts when its item builds a ``threading`` lock or
    is a name whose words say lock (``_lock``, ``db_mutex``, ``cond``, ``LOCK``): types
    are not known here, and a sync ``with`` on an asyncio lock is not valid code, so the
    name is what there is.
    """
    path = (*ancestors, node)
    for i in range(len(path) - 2, -1, -1):
        parent, child = path[i], path[i + 1]
        if isinstance(parent, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            return None
        if isinstance(parent, cst.With) and parent.asynchronous is None and child is parent.body:
            for item in parent.items:
                if _is_lock(item.item, aliases or {}):
                    shown = cst.Module([]).code_for_node(item.item)
                    return (
                        f"a threading lock (`{shown}`) is held here: awaiting inside the `with` would let other "
                        "tasks run while it is held, and one that takes it would block the event loop for good"
                    )
    return None


def _is_lock(expr: cst.BaseExpression, aliases: Mapping[str, str]) -> bool:
    if isinstance(expr, cst.Call):
        return resolve(expr.func, aliases) in LOCK_TYPES
    if isinstance(expr, cst.Attribute):
        name = expr.attr.value
    elif isinstance(expr, cst.Name):
        name = expr.value
    else:
        return False
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower().split("_")
    return any(word in _LOCK_WORDS for word in words)


def needs_parens(parent: cst.CSTNode | None, child: cst.CSTNode) -> bool:
    """Whether ``await child`` must be parenthesised where ``child`` stands.

    ``await`` binds looser than attribute access, subscription and calls, so
    ``await x.y`` would await ``x.y``, and ``await await x`` does not parse; everywhere
    else (operands, arguments, conditions, returns, f-string fields, comprehension
    elements) the bare form parses as intended.
    """
    if isinstance(parent, (cst.Attribute, cst.Subscript)):
        return parent.value is child
    if isinstance(parent, cst.Call):
        return parent.func is child
    return isinstance(parent, cst.Await)


def awaited(
    updated: cst.BaseExpression,
    replacement: cst.BaseExpression,
    original: cst.CSTNode,
    parent: cst.CSTNode | None,
) -> cst.Await:
    """``await replacement`` standing where ``updated`` stood, parenthesised when needed.

    The call's own parentheses (``(f()).x``) move to the ``await`` so nothing is added or
    lost around the edited expression.
    """
    node = cst.Await(expression=replacement.with_changes(lpar=[], rpar=[]))
    if updated.lpar:
        return node.with_changes(lpar=updated.lpar, rpar=updated.rpar)
    if needs_parens(parent, original):
        return node.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return node


def prepend_args(call: cst.Call, values: Sequence[cst.BaseExpression]) -> list[cst.Arg]:
    """``values`` as leading positional arguments of ``call``, matching its layout.

    A call written one argument per line (``f(\\n    a,\\n)``) gets the new arguments on
    their own lines too, so the original arguments and their comments stay untouched.
    """
    ws = call.whitespace_before_args
    sep: cst.BaseParenthesizableWhitespace = (
        ws if isinstance(ws, cst.ParenthesizedWhitespace) else cst.SimpleWhitespace(" ")
    )
    new = [cst.Arg(value=v, comma=cst.Comma(whitespace_after=sep)) for v in values]
    if not call.args:
        new[-1] = new[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    old = list(call.args)
    if len(old) == 1 and isinstance(old[0].value, cst.GeneratorExp) and not old[0].value.lpar:
        # ``f(x for x in y)``: a bare generator is only allowed as the sole argument.
        genexp = old[0].value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        old[0] = old[0].with_changes(value=genexp)
    return [*new, *old]


def remove_arg(args: Sequence[cst.Arg], index: int) -> list[cst.Arg]:
    """``args`` without ``args[index]``; a removed last argument hands on its comma."""
    out = list(args)
    removed = out.pop(index)
    if index == len(out) and out:
        out[-1] = out[-1].with_changes(comma=removed.comma)
    return out


def dotted(name: str) -> cst.BaseExpression:
    """``asyncio.to_thread`` as an expression node."""
    return cst.parse_expression(name)
