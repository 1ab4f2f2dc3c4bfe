"""Reading a patching call of a test: what it replaces, and with what.

``patch("pkg.mod.Class.method", ...)``, ``mock.patch``/``mocker.patch``,
``patch.object(Class, "method", ...)``, ``monkeypatch.setattr("pkg.mod.func", value)`` and
``monkeypatch.setattr(obj, "name", value)``, read as ``asyncify.mock_targets`` reads them
(for ``asyncify.codemods.async_mocks``, which rewrites them).
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
from libcst.helpers import get_full_name_for_node

PATCHERS = frozenset({"patch", "setattr"})


@dataclass(frozen=True, slots=True)
class PatchCall:
    """One patching call, read: what it replaces and with what."""

    call: cst.Call
    target: tuple[str, ...]
    name_node: cst.SimpleString
    new: cst.BaseExpression | None
    on_object: bool
    is_patch: bool


def read_patch(call: cst.Call) -> PatchCall | None:
    """What a patching call replaces (as ``mock_targets`` reads it); ``None`` for other calls."""
    func = (get_full_name_for_node(call.func) or "").split(".")
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if not func[-1] or not positional:
        return None
    is_patch = func[-1] == "patch" or func[-2:] == ["patch", "object"]
    keywords = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
    on_object = func[-2:] == ["patch", "object"] or (func[-1] == "setattr" and len(func) > 1)
    first = positional[0].value
    if on_object and len(positional) >= 2 and isinstance(positional[1].value, cst.SimpleString):
        owner = get_full_name_for_node(first)
        attribute = positional[1].value.evaluated_value
        if owner is not None and not isinstance(first, cst.SimpleString) and isinstance(attribute, str):
            new = positional[2].value if len(positional) > 2 else keywords.get("new" if is_patch else "value")
            return PatchCall(call, (*owner.split("."), attribute), positional[1].value, new, True, is_patch)
    if func[-1] in PATCHERS and (func[-1] == "patch" or func[:-1] == ["monkeypatch"]):
        if not isinstance(first, cst.SimpleString) or not isinstance(first.evaluated_value, str):
            return None
        new = positional[1].value if len(positional) > 1 else keywords.get("new" if is_patch else "value")
        return PatchCall(call, tuple(first.evaluated_value.split(".")), first, new, False, is_patch)
    return None


def injects(decorator: cst.Decorator) -> bool:
    """Whether a decorator is a ``patch`` that passes its mock to the test."""
    if not isinstance(decorator.decorator, cst.Call):
        return False
    patch = read_patch(decorator.decorator)
    return patch is not None and patch.is_patch and patch.new is None
