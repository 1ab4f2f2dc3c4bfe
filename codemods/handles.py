"""Every use of a file handle inside its ``with`` block, made async or refused.

aiofiles is only sound when *all* uses of the handle change together: a single
``f.read()`` left unawaited returns a coroutine, a handle passed to another function
gets an object it does not expect. So the block is read whole first, and one use that
cannot be translated refuses the rewrite with its reason.

Translated uses:
- ``f.read()``, ``f.write(s)``, ``f.readline()``... (methods aiofiles runs in a thread)
  are awaited; ``f.name``, ``f.mode``, ``f.closed``, ``f.fileno()`` stay as they are;
- ``for line in f`` / ``[l for l in f]`` iterate with ``async for``;
- ``json.load(f)`` -> ``json.loads(await f.read())`` (also ``tomllib``/``tomli``, and
  ``pickle`` in binary mode; ``tomllib`` decodes a binary read);
- ``json.dump(x, f, **kw)`` -> ``await f.write(json.dumps(x, **kw))`` as a statement
  (also ``pickle.dump`` in binary mode).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import libcst as cst
from libcst.helpers import get_full_name_for_node

from asyncify.vocabulary import Backend

from .base import NodeRewrite, Refusal
from .context import awaited, dotted, enclosing_scope, remove_arg
from .imports import resolve

AWAITED_METHODS = frozenset({
    "close", "flush", "isatty", "peek", "read", "read1", "readall", "readinto",
    "readline", "readlines", "seek", "seekable", "tell", "truncate", "writable",
    "write", "writelines",
})
# Proxied as they are. ``buffer``/``raw`` are too, but reading through them would block.
PLAIN_ATTRIBUTES = frozenset({"closed", "encoding", "errors", "line_buffering", "mode", "name", "newlines"})
# anyio's and trio's async files (``anyio.open_file``, ``trio.open_file``) share these.
PORTABLE_METHODS = frozenset({
    "flush", "read", "read1", "readinto", "readline", "readlines", "seek", "tell",
    "truncate", "write", "writelines",
})
PLAIN_METHODS = frozenset({"fileno"})
# qualified name -> keyword of its file parameter
LOADERS = {"json.load": "fp", "tomllib.load": "fp", "tomli.load": "fp", "pickle.load": "file"}
DUMPERS = {"json.dump": "fp", "pickle.dump": "file"}


@dataclass(frozen=True, slots=True)
class Handle:
    """A handle bound by ``as``; ``binary`` is ``None`` when the mode is not a literal."""

    name: str
    binary: bool | None


Translation = tuple[cst.CSTNode, NodeRewrite]


class _Uses(cst.CSTVisitor):
    """Collect each reference to the handle names, with its ancestors from the ``with``."""

    def __init__(self, names: frozenset[str], skip: frozenset[int]) -> None:
        super().__init__()
        self.names, self.skip = names, skip
        self.stack: list[cst.CSTNode] = []
        self.found: list[tuple[cst.Name, tuple[cst.CSTNode, ...]]] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.Name) and node.value in self.names and id(node) not in self.skip:
            parent = self.stack[-1]
            label = (isinstance(parent, cst.Attribute) and parent.attr is node) or (
                isinstance(parent, cst.Arg) and parent.keyword is node
            )
            if not label:
                self.found.append((node, tuple(self.stack)))
        self.stack.append(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.stack.pop()


def translate_block(
    block: cst.With,
    handles: Mapping[str, Handle],
    own_names: frozenset[int],
    aliases: Mapping[str, str],
    backend: Backend = Backend.ASYNCIO,
    ref: Callable[[str], str] = str,
) -> tuple[list[Translation], frozenset[str]] | Refusal:
    """The rewrites for every handle use in ``block`` (and modules they import), or why not.

    ``own_names`` are the ids of the ``as`` names of the items being converted: binding
    sites, not uses. ``backend`` selects the awaitable methods (aiofiles on asyncio, the
    smaller common set of ``anyio``/``trio`` files otherwise).
    """
    methods = AWAITED_METHODS if backend == Backend.ASYNCIO else PORTABLE_METHODS
    uses = _Uses(frozenset(handles), own_names)
    block.visit(uses)
    out: list[Translation] = []
    modules: set[str] = set()
    for name, chain in uses.found:
        handle = handles[name.value]
        if isinstance(chain[1], cst.WithItem):
            return Refusal(f"handle `{handle.name}` is used by another item of the with statement")
        where = enclosing_scope(chain[1:], name, inside_block=True)
        if where is not None:
            return Refusal(f"handle `{handle.name}` is used {where}")
        result = _translate(name, chain, handle, aliases, methods, ref)
        if isinstance(result, Refusal):
            return result
        if result is not None:
            out.append(result[0])
            modules |= result[1]
    return out, frozenset(modules)


def _translate(
    name: cst.Name,
    chain: tuple[cst.CSTNode, ...],
    handle: Handle,
    aliases: Mapping[str, str],
    methods: frozenset[str],
    ref: Callable[[str], str],
) -> tuple[Translation, frozenset[str]] | Refusal | None:
    """One use: ``None`` when it stays as written."""
    parent, grand = chain[-1], chain[-2]
    label = f"`{handle.name}`"
    if isinstance(parent, cst.Attribute) and parent.value is name:
        attr = parent.attr.value
        if isinstance(grand, cst.Call) and grand.func is parent:
            if attr in PLAIN_METHODS:
                return None
            if attr not in methods:
                return Refusal(f"`{handle.name}.{attr}()` has no async file equivalent")
            return (grand, _await_call(grand, chain[-3])), frozenset()
        if attr in PLAIN_ATTRIBUTES:
            return None
        if attr in methods:
            return Refusal(f"`{handle.name}.{attr}` is used as a value, not called")
        return Refusal(f"`{handle.name}.{attr}` has no async file equivalent")
    if isinstance(parent, (cst.For, cst.CompFor)) and parent.iter is name:
        if isinstance(parent, cst.CompFor) and _in_generator(chain):
            return Refusal(f"handle {label} is iterated in a generator expression")
        return (parent, _async_for), frozenset()
    if isinstance(parent, cst.Arg) and isinstance(grand, cst.Call) and parent.value is name:
        callee = resolve(grand.func, aliases)
        if callee in LOADERS or callee in DUMPERS:
            return _serializer(grand, parent, chain, handle, callee, ref)
        shown = get_full_name_for_node(grand.func) or "a call"
        return Refusal(f"handle {label} is passed to `{shown}()`")
    if isinstance(parent, (cst.AssignTarget, cst.AsName, cst.Del)) or (
        isinstance(parent, (cst.For, cst.CompFor)) and parent.target is name
    ):
        return Refusal(f"handle {label} is rebound in the block")
    if isinstance(parent, cst.Return):
        return Refusal(f"handle {label} is returned")
    if isinstance(parent, cst.Yield):
        return Refusal(f"handle {label} is yielded")
    if isinstance(parent, (cst.Assign, cst.AnnAssign, cst.AugAssign, cst.Element, cst.DictElement)):
        return Refusal(f"handle {label} is stored")
    return Refusal(f"handle {label} is used in a way that cannot be made async ({type(parent).__name__})")


def _in_generator(chain: tuple[cst.CSTNode, ...]) -> bool:
    for node in reversed(chain):
        if isinstance(node, (cst.ListComp, cst.SetComp, cst.DictComp)):
            return False
        if isinstance(node, cst.GeneratorExp):
            return True
    return False


def _await_call(call: cst.Call, parent: cst.CSTNode) -> NodeRewrite:
    def rewrite(node: cst.CSTNode) -> cst.CSTNode:
        assert isinstance(node, cst.Call)
        return awaited(node, node, call, parent)

    return rewrite


def _async_for(node: cst.CSTNode) -> cst.CSTNode:
    if isinstance(node, cst.For):
        return node.with_changes(asynchronous=cst.Asynchronous())
    assert isinstance(node, cst.CompFor)
    return node.with_changes(asynchronous=cst.Asynchronous())


def _read(handle: Handle, decode: bool) -> cst.BaseExpression:
    """``await f.read()``, or ``(await f.read()).decode()`` for text parsers on bytes."""
    read: cst.BaseExpression = cst.Await(cst.Call(func=dotted(f"{handle.name}.read")))
    if decode:
        read = read.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        read = cst.Call(func=cst.Attribute(value=read, attr=cst.Name("decode")))
    return read


def _serializer(
    call: cst.Call, arg: cst.Arg, chain: tuple[cst.CSTNode, ...], handle: Handle, callee: str, ref: Callable[[str], str]
) -> tuple[Translation, frozenset[str]] | Refusal:
    """``json.load(f)`` / ``json.dump(x, f)`` and their tomllib/pickle kin."""
    module, _, verb = callee.rpartition(".")
    index = call.args.index(arg)
    keyword = arg.keyword.value if arg.keyword is not None else None
    expected = LOADERS.get(callee) or DUMPERS[callee]
    position = 0 if verb == "load" else 1
    if (keyword is None and index != position) or (keyword is not None and keyword != expected):
        return Refusal(f"handle `{handle.name}` is not the file argument of `{callee}()`")
    text_format = module in ("json", "tomllib", "tomli")
    if handle.binary is None and not (module == "json" and verb == "load"):
        return Refusal(f"cannot tell the mode of `{handle.name}` for `{callee}()`")
    if verb == "load":
        if module == "pickle" and not handle.binary:
            return Refusal(f"`{callee}()` needs `{handle.name}` opened in binary mode")
        if keyword is not None and index != 0:
            return Refusal(f"`{callee}()` with `{keyword}=` after other arguments")
        decode = bool(handle.binary) and module in ("tomllib", "tomli")
        value = _read(handle, decode)
    else:
        if text_format == bool(handle.binary):
            kind = "binary" if text_format else "text"
            return Refusal(f"`{callee}()` cannot write to `{handle.name}` opened in {kind} mode")
        statement = chain[-3]
        if not (isinstance(statement, cst.Expr) and statement.value is call):
            return Refusal(f"the result of `{callee}()` is used")
    qualified_func = not isinstance(call.func, cst.Attribute)
    imports = frozenset({module}) if qualified_func else frozenset()

    def rewrite(node: cst.CSTNode) -> cst.CSTNode:
        assert isinstance(node, cst.Call)
        if isinstance(node.func, cst.Attribute):
            func: cst.BaseExpression = node.func.with_changes(attr=cst.Name(f"{verb}s"))
        else:
            func = dotted(ref(f"{module}.{verb}s"))
        if verb == "load":
            first = node.args[0].with_changes(keyword=None, equal=cst.MaybeSentinel.DEFAULT, value=value)
            return node.with_changes(func=func, args=[first, *node.args[1:]])
        dumps = node.with_changes(func=func, args=remove_arg(node.args, index), lpar=[], rpar=[])
        write = cst.Call(func=dotted(f"{handle.name}.write"), args=[cst.Arg(dumps)])
        return cst.Await(write, lpar=node.lpar, rpar=node.rpar)

    return (call, rewrite), imports
