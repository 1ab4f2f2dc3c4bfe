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
from asyncify.scan.summary import (
    CallKind,
    CallSite,
    ClassSummary,
    FunctionSummary,
    ModuleSummary,
    Param,
    Reference,
    Span,
)

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
    "deferred",
)
"""``ModuleSummary``'s fields in the order encoded (a test compares it with the class:
a new field is added here too)."""

_KIND_CODES = {kind: code for code, kind in enumerate(CallKind)}
_KINDS = tuple(CallKind)
_new = tuple.__new__


def encode(result: ScanResult) -> bytes:
    """``result`` as bytes (``decode`` gives back an equal result).

    Records are written field by field in their class's order, nested records as plain
    tuples; a field added to a record needs no change here as long as it holds plain
    data (the round-trip test covers every field)."""
    if isinstance(result, ScanFailed):
        return marshal.dumps((0, result.path, result.message))
    s = result.summary
    fields = []
    for name in MODULE_FIELDS:
        value = getattr(s, name)
        if name == "functions":
            value = tuple([_encode_function(f) for f in value])
        elif name == "classes":
            value = tuple([(*c[:3], (*c[3],) if c[3] else None, *c[4:]) for c in value])
        elif name == "references":
            value = tuple([(*r,) for r in value])
        fields.append(value)
    return marshal.dumps((1, *fields))


def decode(blob: bytes) -> ScanResult:
    """The result ``encode`` made ``blob`` from."""
    data: tuple[Any, ...] = marshal.loads(blob)
    if data[0] == 0:
        return ScanFailed(data[1], data[2])
    values = dict(zip(MODULE_FIELDS, data[1:], strict=True))
    values["functions"] = tuple([_decode_function(f) for f in values["functions"]])
    classes = values["classes"]
    values["classes"] = tuple(
        [_new(ClassSummary, (*c[:3], _new(Span, c[3]) if c[3] else None, *c[4:])) for c in classes]
    )
    values["references"] = tuple([_new(Reference, r) for r in values["references"]])
    return Scanned(ModuleSummary(**values))


def _encode_function(f: FunctionSummary) -> tuple[Any, ...]:
    calls = tuple([(c[0], _KIND_CODES[c[1]], (*c[2],), *c[3:]) for c in f.calls])
    return (f[0], f[1], (*f[2],), calls, tuple([(*p,) for p in f[4]]), *f[5:])


def _decode_function(data: tuple[Any, ...]) -> FunctionSummary:
    sites = tuple([_new(CallSite, (c[0], _KINDS[c[1]], _new(Span, c[2]), *c[3:])) for c in data[3]])
    params = tuple([_new(Param, p) for p in data[4]])
    return _new(FunctionSummary, (data[0], data[1], _new(Span, data[2]), sites, params, *data[5:]))
