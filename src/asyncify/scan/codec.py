"""The wire and cache format of a scan result: plain tuples in ``marshal``.

A worker encodes each result once; the parent decodes it once and the cache stores the
same bytes. ``pickle`` would call a Python method for every record on the way out and
the record class's Python ``__new__`` on the way in; here the records become plain
tuples (which ``marshal`` writes in C, twice as fast as pickling the records) and are
rebuilt with ``tuple.__new__``. ``marshal`` is not safe on untrusted bytes: only a
worker's output or a cache blob whose digest the signed cache index vouches for is ever
decoded. ``FORMAT`` is part of the cache key.
"""

from __future__ import annotations

import marshal
from typing import Any

from asyncify.scan.result import ScanFailed, Scanned, ScanResult
from asyncify.scan.summary import CallKind, CallSite, ClassSummary, FunctionSummary, ModuleSummary, Param, Reference, Span

FORMAT = 1
MODULE_FIELDS = (
    "path",
    "module",
    "is_package",
    "imports",
    "functions",
    "classes",
    "instances",
    "references",
    "suppressions",
    "exports",
    "backends",
)
"""``ModuleSummary``'s fields in the order encoded (a test compares it with the class)."""

_KIND_CODES = {kind: code for code, kind in enumerate(CallKind)}
_KINDS = tuple(CallKind)
_new = tuple.__new__


def encode(result: ScanResult) -> bytes:
    """``result`` as bytes (``decode`` gives back an equal result)."""
    if isinstance(result, ScanFailed):
        return marshal.dumps((0, result.path, result.message))
    s = result.summary
    functions = tuple(
        (
            f.qualname,
            f.is_async,
            (*f.span,),
            tuple([(c.target, _KIND_CODES[c.kind], (*c.span,), *c[3:]) for c in f.calls]),
            tuple([(*p,) for p in f.params]),
            f.class_name,
            f.decorators,
            f.returns,
        )
        for f in s.functions
    )
    classes = tuple((c.qualname, c.bases, c.attributes, (*c.span,) if c.span else None) for c in s.classes)
    references = tuple([(*r,) for r in s.references])
    body = (s.path, s.module, s.is_package, s.imports, functions, classes, s.instances, references)
    return marshal.dumps((1, *body, s.suppressions, s.exports, s.backends))


def decode(blob: bytes) -> ScanResult:
    """The result ``encode`` made ``blob`` from."""
    data: tuple[Any, ...] = marshal.loads(blob)
    if data[0] == 0:
        return ScanFailed(data[1], data[2])
    path, module, is_package, imports, functions, classes, instances, references, suppressions, exports, backends = data[1:]
    return Scanned(
        ModuleSummary(
            path,
            module,
            is_package,
            imports,
            tuple([_function(f) for f in functions]),
            tuple([_new(ClassSummary, (q, b, a, _new(Span, sp) if sp else None)) for q, b, a, sp in classes]),
            instances,
            tuple([_new(Reference, r) for r in references]),
            suppressions,
            exports,
            backends,
        )
    )


def _function(data: tuple[Any, ...]) -> FunctionSummary:
    qualname, is_async, span, calls, params, class_name, decorators, returns = data
    sites = tuple([_new(CallSite, (c[0], _KINDS[c[1]], _new(Span, c[2]), *c[3:])) for c in calls])
    fields = (qualname, is_async, _new(Span, span), sites, tuple([_new(Param, p) for p in params]), class_name, decorators, returns)
    return _new(FunctionSummary, fields)
