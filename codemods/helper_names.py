"""Names for the functions ``extract`` writes, derived from the block they hold.

A reviewer reads ``await asyncio.to_thread(_read_report)`` and knows what moved to the
thread; ``_blocking_io`` says only that something did. The name is a verb from the
block's first context manager (``open``'s mode: ``read``, ``write``, ``append``,
``create``, ``update``; another call's own name: ``scandir``) and a noun from what it
opens (``report_path`` -> ``report``, ``self.cache_file`` -> ``cache``,
``root / "index.json"`` -> ``index``), else from the first name the block assigns
(``rows = ...`` -> ``rows``), else ``file``. Generic names (``path``, ``p``, ``f``,
``filename``) say nothing and are skipped. The result depends only on the block and its
function, so every plan of the function numbers equal names the same way
(``_read_report_2``).
"""

from __future__ import annotations

import re

import libcst as cst

GENERIC = frozenset({"path", "p", "fp", "f", "fh", "file", "filename", "fname", "fn", "name", "x", "self", "cls"})
SUFFIXES = ("_path", "_file", "_filename", "_fname", "_name", "_fn")
PATH_METHODS = frozenset({"with_suffix", "with_name", "with_stem", "joinpath", "resolve", "expanduser", "absolute"})
MODES = (("+", "update"), ("w", "write"), ("a", "append"), ("x", "create"))


VERB_PREFIXES = frozenset(
    {
        "read",
        "write",
        "load",
        "save",
        "get",
        "fetch",
        "open",
        "dump",
        "store",
        "append",
        "update",
        "create",
        "do",
        "run",
        "handle",
        "process",
        "compute",
        "make",
        "build",
    }
)


def helper_name(block: cst.With, function: str = "") -> str:
    """``_<verb>_<noun>`` for the function that will run ``block``, which sits in the
    function named ``function`` (its name, less a leading verb, is the second choice of
    noun: ``write_report`` -> ``report``)."""
    first = block.items[0].item
    if not isinstance(first, cst.Call):
        return "_run_block"
    noun = _noun(_opened(first)) or _from_function(function) or _assigned(block) or "file"
    return f"_{_verb(first)}_{noun}"


def _from_function(name: str) -> str | None:
    words = [w for w in _snake(name).split("_") if w and w not in ("async", "sync")]
    if words and words[0] in VERB_PREFIXES:
        words = words[1:]
    return _clean("_".join(words))


def _is_open(call: cst.Call) -> bool:
    func = call.func
    return (isinstance(func, cst.Name) and func.value == "open") or (
        isinstance(func, cst.Attribute) and func.attr.value == "open"
    )


def _verb(call: cst.Call) -> str:
    if not _is_open(call):
        name = call.func.attr.value if isinstance(call.func, cst.Attribute) else getattr(call.func, "value", "use")
        return _snake(str(name)) or "use"
    builtin = isinstance(call.func, cst.Name) or _is_module_open(call)
    positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
    keyword = [arg.value for arg in call.args if arg.keyword is not None and arg.keyword.value == "mode"]
    index = 1 if builtin else 0
    mode = keyword[0] if keyword else positional[index] if len(positional) > index else None
    if mode is None:
        return "read"
    if not isinstance(mode, cst.SimpleString) or not isinstance(mode.evaluated_value, str):
        return "open"
    return next((verb for letter, verb in MODES if letter in mode.evaluated_value), "read")


def _is_module_open(call: cst.Call) -> bool:
    """``io.open(p)``, ``gzip.open(p)``: a module's ``open`` takes the file first."""
    func = call.func
    return (
        isinstance(func, cst.Attribute)
        and isinstance(func.value, cst.Name)
        and func.value.value
        in {
            "io",
            "gzip",
            "bz2",
            "lzma",
            "codecs",
            "os",
            "tarfile",
            "_io",
        }
    )


def _opened(call: cst.Call) -> cst.BaseExpression | None:
    """The expression naming what ``call`` opens."""
    if _is_open(call) and isinstance(call.func, cst.Attribute) and not _is_module_open(call):
        return call.func.value  # path.open(...)
    positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
    return positional[0] if positional else None


def _noun(expression: cst.BaseExpression | None) -> str | None:
    if expression is None:
        return None
    if isinstance(expression, cst.Name):
        return _clean(expression.value)
    if isinstance(expression, cst.Attribute):
        return _clean(expression.attr.value)
    if isinstance(expression, cst.SimpleString) and isinstance(expression.evaluated_value, str):
        stem = re.split(r"[\\/]", expression.evaluated_value)[-1].split(".")[0]
        return _clean(stem)
    if isinstance(expression, cst.BinaryOperation) and isinstance(expression.operator, cst.Divide):
        return _noun(expression.right) or _noun(expression.left)
    if isinstance(expression, cst.Call):
        func = expression.func
        if isinstance(func, cst.Attribute) and func.attr.value in PATH_METHODS:
            return _noun(func.value)
        args = [arg.value for arg in expression.args if not arg.star]
        return _noun(args[-1]) if args else None
    return None


def _assigned(block: cst.With) -> str | None:
    """The first name a top-level ``name = ...`` (or ``self.name = ...``) of the block assigns."""
    body = block.body.body if isinstance(block.body, cst.IndentedBlock) else ()
    for statement in body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Assign):
                target = small.targets[0].target
                if isinstance(target, (cst.Name, cst.Attribute)):
                    return _noun(target)
    return None


def _clean(name: str) -> str | None:
    """``report_path`` -> ``report``; ``None`` for a name that says nothing."""
    word = _snake(name).strip("_")
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix):
            word = word[: -len(suffix)]
            break
    if not word or word in GENERIC or not word.isidentifier():
        return None
    return word


def _snake(name: str) -> str:
    """``TemporaryDirectory`` -> ``temporary_directory``; anything else to ``_``."""
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()
    return re.sub(r"\W+", "_", name)
