"""aiofiles: ``with open(p) as f:`` in async code becomes ``async with aiofiles.open(p) as f:``.

The edit's target is the ``open(...)`` / ``io.open(...)`` / ``path.open(...)`` call of a
``with`` item; the whole block changes with it: ``await f.read()``, ``async for line in
f``, ``json.loads(await f.read())`` (see ``handles`` for the full table). ``path.open(m)``
becomes ``aiofiles.open(path, m)`` — ``Path.open`` takes ``open``'s parameters after the
file.

anyio and trio projects get their backend's own async file instead, which aiofiles
(asyncio only) cannot serve: ``async with await trio.open_file(p) as f:``.

When any use of the handle cannot be translated, or the ``with`` also enters a context
manager that is not a file being converted, the rewrite is refused with the reason. The
engine then falls back (``extract``, then ``wrap``).

A project that does not depend on aiofiles (``RewriteContext.undeclared``) never gets
``import aiofiles``: the plan is refused with ``not_declared`` and the block falls back
to a worker thread; the engine reports that as a note, not as a refusal.

Fix safety: safe when every use is translated, which is the only case applied. Edits on
the handle's calls inside the block (``json.load(f)`` found by detection) are absorbed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import libcst as cst

from asyncify.vocabulary import Backend, Strategy

from .base import Codemod, Plan, Refusal, RewriteContext, Site, not_declared
from .context import dotted, prepend_args
from .handles import Handle, translate_block
from .imports import resolve

BUILTIN_OPENS = frozenset({"builtins.open", "io.open", "_io.open"})
# ``open`` methods or functions that look like ``path.open`` but are not a file open.
OTHER_OPENS = frozenset({
    "bz2.open", "codecs.open", "dbm.open", "gzip.open", "lzma.open", "os.open",
    "shelve.open", "tarfile.open", "wave.open", "webbrowser.open", "zipfile.ZipFile.open",
})
KEEP_PARENS = (cst.Tuple, cst.Yield, cst.GeneratorExp, cst.NamedExpr)


def _shown(node: cst.CSTNode) -> str:
    code = " ".join(cst.Module([]).code_for_node(node).split())
    return code if len(code) <= 40 else code[:37] + "..."


def open_form(call: cst.Call, aliases: Mapping[str, str]) -> str | Refusal:
    """``"builtin"`` (``open(p, ...)``), ``"path"`` (``p.open(...)``), or why neither."""
    func = call.func
    qualified = resolve(func, aliases)
    if isinstance(func, cst.Name):
        if qualified in BUILTIN_OPENS or (qualified is None and func.value == "open"):
            return "builtin"
        return Refusal(f"`{_shown(func)}()` is not a file open aiofiles can replace")
    if isinstance(func, cst.Attribute) and func.attr.value == "open":
        if qualified in BUILTIN_OPENS:
            return "builtin"
        if qualified in OTHER_OPENS:
            return Refusal(f"`{qualified}()` has no aiofiles equivalent")
        return "path"
    return Refusal(f"`{_shown(func)}()` is not a file open aiofiles can replace")


def is_binary(call: cst.Call, form: str) -> bool | None:
    """Whether the file is opened in binary mode; ``None`` when the mode is not a literal."""
    if any(arg.star for arg in call.args):
        return None
    positional = [arg for arg in call.args if arg.keyword is None]
    keyword = [arg for arg in call.args if arg.keyword is not None and arg.keyword.value == "mode"]
    index = 1 if form == "builtin" else 0
    if keyword:
        mode: cst.BaseExpression | None = keyword[0].value
    elif len(positional) > index:
        mode = positional[index].value
    else:
        return False
    if isinstance(mode, cst.SimpleString) and isinstance(mode.evaluated_value, str):
        return "b" in mode.evaluated_value
    return None


def async_open(
    call: cst.Call, form: str, backend: Backend = Backend.ASYNCIO, ref: Callable[[str], str] = str
) -> cst.BaseExpression:
    """What enters the file asynchronously in place of ``call`` (already updated).

    ``aiofiles.open(...)`` on asyncio; ``await anyio.open_file(...)`` /
    ``await trio.open_file(...)`` otherwise (aiofiles runs only on an asyncio loop, and
    both take ``open``'s parameters).
    """
    func = dotted(ref("aiofiles.open" if backend == Backend.ASYNCIO else f"{backend}.open_file"))
    new = call.with_changes(func=func, whitespace_after_func=cst.SimpleWhitespace(""))
    if form == "path":
        assert isinstance(call.func, cst.Attribute)
        receiver = call.func.value
        if not isinstance(receiver, KEEP_PARENS):
            receiver = receiver.with_changes(lpar=[], rpar=[])
        new = new.with_changes(args=prepend_args(call, [receiver]))
    if backend == Backend.ASYNCIO:
        return new
    return cst.Await(new.with_changes(lpar=[], rpar=[]), lpar=call.lpar, rpar=call.rpar)


def plan_aiofiles(site: Site, ctx: RewriteContext) -> Plan | Refusal:
    """Convert the ``with`` statement holding the call, with every use of its handles."""
    item, block = site.parent, site.ancestors[-2] if len(site.ancestors) > 1 else None
    if not (isinstance(item, cst.WithItem) and item.item is site.call and isinstance(block, cst.With)):
        return Refusal("open() is not the context manager of a with statement")
    if block.asynchronous is not None:
        return Refusal("the with statement is already async")
    if ctx.backend == Backend.ASYNCIO and "aiofiles" in ctx.undeclared:
        return Refusal(not_declared("aiofiles"))
    handles: dict[str, Handle] = {}
    own: set[int] = set()
    forms: list[str] = []
    for it in block.items:
        other = ctx.site_of(it.item)
        if other is None or other.strategy != Strategy.AIOFILES or not isinstance(it.item, cst.Call):
            return Refusal(f"the with statement also enters `{_shown(it.item)}`, which is not async")
        if it.asname is None or not isinstance(it.asname.name, cst.Name):
            return Refusal(f"`{_shown(it.item)}` is not bound to a name with `as`")
        form = open_form(it.item, ctx.aliases)
        if isinstance(form, Refusal):
            return form
        name = it.asname.name.value
        if name in handles:
            return Refusal(f"two files of the with statement are bound to `{name}`")
        handles[name] = Handle(name, is_binary(it.item, form))
        own.add(id(it.asname.name))
        forms.append(form)
    result = translate_block(block, handles, frozenset(own), ctx.aliases, ctx.backend, ctx.ref)
    if isinstance(result, Refusal):
        return result
    translations, modules = result

    def rewrite_with(node: cst.CSTNode) -> cst.CSTNode:
        assert isinstance(node, cst.With)
        items = []
        for it, form in zip(node.items, forms, strict=True):
            assert isinstance(it.item, cst.Call)
            items.append(it.with_changes(item=async_open(it.item, form, ctx.backend, ctx.ref)))
        return node.with_changes(asynchronous=cst.Asynchronous(), items=items)

    claims = [it.item for it in block.items if it.item is not site.call]
    claims += [node for node, _ in translations if isinstance(node, cst.Call)]
    return Plan(
        rewrites=((block, rewrite_with), *translations),
        imports=frozenset({"aiofiles" if ctx.backend == Backend.ASYNCIO else ctx.backend, *modules}),
        claims=tuple(claims),
    )


CODEMOD = Codemod(
    strategy=Strategy.AIOFILES,
    plan=plan_aiofiles,
    priority=10,
    fallbacks=(Strategy.EXTRACT, Strategy.WRAP),
    description="async with aiofiles.open(...) and await every use of the handle",
)

