"""Tests that mock a function its async callers no longer call as it was, rewritten to
mock what they await now (``fix --update-mocks``).

A twin or propagation makes async code await ``get_slice_scripts_async`` (or the same
function, now ``async def``); a test that stubs the old name with a sync mock then fails
with "'MagicMock' object can't be awaited", or stops mocking anything. The simple cases
become an ``AsyncMock`` of the new name:

- ``patch("pkg.mod.Class.old", return_value=v)`` (also ``mock.patch``, ``mocker.patch``,
  ``patch.object(Class, "old", ...)``, as decorators, ``with`` items or calls):
  ``patch("pkg.mod.Class.new", new_callable=AsyncMock, return_value=v)``; with
  ``autospec`` only the name changes (an autospec of an ``async def`` is awaitable);
- a fake passed as the new value: ``Mock(...)``/``MagicMock(...)`` becomes
  ``AsyncMock(...)``; a lambda or a sync ``def`` of the file replacing a module function
  becomes ``AsyncMock(side_effect=fake)`` (it is awaited, and called as before); an
  ``async def`` fake or an ``AsyncMock`` keeps itself; the same for
  ``monkeypatch.setattr(obj, "old", fake)`` and ``monkeypatch.setattr("pkg.old", fake)``;
- a whole class mocked (``@patch("pkg.mod.Class") def test(cls_mock)``, ``with ... as
  cls_mock``, ``cls_mock = mocker.patch(...)``) whose method the test stubs:
  ``cls_mock.return_value.old.return_value = v`` becomes
  ``cls_mock.return_value.new = AsyncMock(return_value=v)`` and the test's other uses of
  ``cls_mock.return_value.old`` (``assert_called_once_with(...)``) name ``new``: a twin
  and a propagated function take the same arguments as the original.

Everything else is left alone with the reason (``MockUpdate.reason``): a ``side_effect``
that is a function (it may need to become async itself), a fake that is a class or an
object built elsewhere, a function fake replacing a method (an ``AsyncMock`` would not
receive ``self``), a class mock the test never stubs the method on or does not name.
For a twin the sync original still exists: a sync test (``def test_...`` that starts no
event loop) still exercises sync code, so its mocks stay as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import MetadataWrapper, ParentNodeProvider

from asyncify.codemods.async_mock_import import ASYNC_MOCK, async_mock_reference, import_async_mock
from asyncify.codemods.call_layout import split_grown_calls
from asyncify.codemods.changed_callees import ChangedCallee
from asyncify.codemods.imports import ImportSections
from asyncify.codemods.patch_calls import PatchCall, injects, read_patch

MOCK_CLASSES = frozenset({"Mock", "MagicMock", "NonCallableMock", "NonCallableMagicMock"})
LOOP_RUNNERS = frozenset({"asyncio.run", "anyio.run", "trio.run", "run_until_complete"})
ALREADY_AWAITABLE = "already awaitable"


@dataclass(frozen=True, slots=True)
class MockUpdate:
    """One patch of a changed function: rewritten (``reason`` is ``None``) or left alone."""

    test: str
    target: str
    callee: ChangedCallee
    reason: str | None = None
    changed: bool = True
    """``False``: the mock is already awaitable (an autospec of the new ``async def``)."""


@dataclass
class MockRewrite:
    """The module's new text (the input when nothing changed) and every patch met."""

    text: str
    updates: list[MockUpdate] = field(default_factory=list)


Edit = Callable[[cst.CSTNode], cst.CSTNode]


def update_mocks(
    source: str,
    callees: Sequence[ChangedCallee],
    sections: ImportSections | None = None,
    line_length: int | None = None,
) -> MockRewrite:
    """Rewrite the patches of ``callees`` in one test module (a call that grows over
    ``line_length`` is split); raises libcst's ``ParserSyntaxError`` when it does not parse."""
    module = cst.parse_module(source)
    if not callees:
        return MockRewrite(source)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    reference, imported = async_mock_reference(module)
    planner = _Planner(list(callees), wrapper.resolve(ParentNodeProvider), reference)
    wrapper.visit(planner)
    if not planner.edits:
        return MockRewrite(source, planner.updates)
    replacer = _Replacer(planner.edits)
    new = module.visit(replacer)
    if not isinstance(new, cst.Module):
        return MockRewrite(source, planner.updates)
    if line_length is not None:
        new = split_grown_calls(new, source, line_length, replacer.produced)
    if not imported:
        new = import_async_mock(new, sections)
    return MockRewrite(new.code, planner.updates)


class _Replacer(cst.CSTTransformer):
    def __init__(self, edits: dict[cst.CSTNode, Edit]) -> None:
        super().__init__()
        self.edits = edits
        self.produced: list[cst.CSTNode] = []

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> cst.CSTNode:  # type: ignore[override]
        edit = self.edits.get(original_node)
        if edit is None:
            return updated_node
        self.produced.append(edit(updated_node))
        return self.produced[-1]


class _Planner(cst.CSTVisitor):
    """Finds the patches of the changed functions and plans each rewrite (or refusal)."""

    def __init__(
        self, callees: list[ChangedCallee], parents: Mapping[cst.CSTNode, cst.CSTNode], reference: str
    ) -> None:
        super().__init__()
        self.callees = callees
        self.parents = parents
        self.reference = reference
        self.functions: list[cst.FunctionDef] = []
        self.edits: dict[cst.CSTNode, Edit] = {}
        self.updates: list[MockUpdate] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.append(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.functions.pop()

    def visit_Call(self, node: cst.Call) -> None:
        patch = read_patch(node)
        if patch is None:
            return
        callee = next((c for c in self.callees if c.named_by(patch.target)), None)
        if callee is None:
            return
        function = self.functions[-1] if self.functions else None
        test = function.name.value if function is not None else "<module>"
        reason = _sync_test(function, callee)
        if reason is None and patch.target[-1] == callee.name:
            reason = self._function_patch(patch, callee)
        elif reason is None:
            reason = self._class_patch(patch, callee, function)
        if reason == ALREADY_AWAITABLE:
            self.updates.append(MockUpdate(test, ".".join(patch.target), callee, None, changed=False))
        else:
            self.updates.append(MockUpdate(test, ".".join(patch.target), callee, reason))

    def _function_patch(self, patch: PatchCall, callee: ChangedCallee) -> str | None:
        """``patch(".../old")`` and its kin: the new name, with an awaitable mock."""
        edits: dict[cst.CSTNode, Edit] = {}
        if patch.new is None:
            keywords = {a.keyword.value: a for a in patch.call.args if a.keyword is not None}
            given = keywords.get("new_callable")
            if given is not None and _code(given.value) == self.reference:
                pass  # already awaitable: only the name may change
            elif given is not None:
                return "new_callable= is given: whether it makes an awaitable mock is the test's call"
            side_effect = keywords.get("side_effect")
            if side_effect is not None and not _plain_side_effect(side_effect.value):
                return "side_effect is a function: it may need to become async itself"
            if "autospec" not in keywords and given is None:
                arg = _keyword("new_callable", cst.parse_expression(self.reference))
                edits[patch.call] = lambda node: _insert_arg(_as_call(node), arg)
        else:
            method_on_class = callee.is_method and _names_class(patch, callee)
            reason = self._fake(patch.new, edits, method_on_class=method_on_class)
            if reason is not None:
                return reason
        if callee.now != callee.name:
            edits[patch.name_node] = lambda node: _renamed_string(_as_string(node), callee.now)
        self._merge(edits)
        return None if edits else ALREADY_AWAITABLE

    def _fake(self, fake: cst.BaseExpression, edits: dict[cst.CSTNode, Edit], *, method_on_class: bool) -> str | None:
        """Plan the awaitable form of a fake (into ``edits``), or say why there is none."""
        if isinstance(fake, cst.Call):
            kind = (get_full_name_for_node(fake.func) or "").rpartition(".")[2]
            if kind == ASYNC_MOCK:
                return None
            if kind not in MOCK_CLASSES:
                return f"the fake {_code(fake)} is built by a call: cannot tell whether it can be awaited"
            side_effect = next((a for a in fake.args if a.keyword and a.keyword.value == "side_effect"), None)
            if side_effect is not None and not _plain_side_effect(side_effect.value):
                return "side_effect is a function: it may need to become async itself"
            func = cst.parse_expression(self.reference)
            edits[fake] = lambda node: _as_call(node).with_changes(func=func)
            return None
        definition = self._definition(fake)
        if isinstance(definition, cst.FunctionDef) and definition.asynchronous is not None:
            return None
        if isinstance(definition, cst.ClassDef):
            return f"the fake {_code(fake)} is a class: an AsyncMock would not stand for it"
        if not isinstance(fake, cst.Lambda) and definition is None:
            return f"the fake {_code(fake)} is not a function or a Mock of this file: it may not be awaitable"
        if method_on_class:
            return f"the fake {_code(fake)} replaces a method: as an AsyncMock it would not receive self"
        reference = self.reference
        edits[fake] = lambda node: _async_mock(reference, "side_effect", _as_expression(node))
        return None

    def _definition(self, fake: cst.BaseExpression) -> cst.FunctionDef | cst.ClassDef | None:
        """The ``def``/``class`` a bare name refers to, anywhere in the module (last one wins)."""
        if not isinstance(fake, cst.Name):
            return None
        found: cst.FunctionDef | cst.ClassDef | None = None
        for node in self.parents:
            if isinstance(node, (cst.FunctionDef, cst.ClassDef)) and node.name.value == fake.value:
                found = node
        return found

    def _class_patch(self, patch: PatchCall, callee: ChangedCallee, function: cst.FunctionDef | None) -> str | None:
        """A whole class mocked: its stub of the method becomes an AsyncMock of the new name."""
        if patch.new is not None or not patch.is_patch:
            shown = _code(patch.new) if patch.new is not None else "a value"
            return f"the class is replaced by {shown}: a fake class is not followed"
        variable, scope = self._mock_variable(patch.call, function)
        if variable is None or scope is None:
            return "the class mock is not named in this test (built inline or in a fixture): not followed"
        uses = _method_uses(scope, variable, callee.name)
        configured = [(attr, stmt) for attr, stmt in uses if stmt is not None]
        if not configured:
            return f"the test never stubs {callee.name} on the class mock: what the awaited call returns is unknown"
        edits: dict[cst.CSTNode, Edit] = {}
        first, assign = configured[0]
        reason = self._configure(first, assign, edits)
        if reason is not None:
            return reason
        for attr, _ in uses:
            edits.setdefault(attr, lambda node: _as_attribute(node).with_changes(attr=cst.Name(callee.now)))
        self._merge(edits)
        return None

    def _configure(self, attr: cst.Attribute, assign: cst.Assign, edits: dict[cst.CSTNode, Edit]) -> str | None:
        """``mock.old.return_value = v`` -> ``mock.new = AsyncMock(return_value=v)``."""
        target = assign.targets[0].target
        reference = self.reference
        if target is attr:
            value_edits: dict[cst.CSTNode, Edit] = {}
            reason = self._fake(assign.value, value_edits, method_on_class=False)
            if reason is None:
                edits.update(value_edits)
            return reason
        assert isinstance(target, cst.Attribute)
        keyword = target.attr.value
        if keyword == "side_effect" and not _plain_side_effect(assign.value):
            return "side_effect is a function: it may need to become async itself"

        def stub(node: cst.CSTNode) -> cst.CSTNode:
            updated = node if isinstance(node, cst.Assign) else assign
            renamed = updated.targets[0].target
            assert isinstance(renamed, cst.Attribute)
            return updated.with_changes(
                targets=[updated.targets[0].with_changes(target=renamed.value)],
                value=_async_mock(reference, keyword, updated.value),
            )

        edits[assign] = stub
        return None

    def _mock_variable(
        self, call: cst.Call, function: cst.FunctionDef | None
    ) -> tuple[str | None, cst.CSTNode | None]:
        """The name the class mock goes by, and where the test uses it."""
        parent = self.parents.get(call)
        if isinstance(parent, cst.Decorator) and function is not None and parent in function.decorators:
            injecting = [d for d in function.decorators if injects(d)]
            if parent not in injecting:
                return None, None
            index = len(injecting) - 1 - injecting.index(parent)
            params = list(function.params.params)
            if params and params[0].name.value in {"self", "cls"}:
                index += 1
            return (params[index].name.value, function.body) if index < len(params) else (None, None)
        scope: cst.CSTNode | None = function.body if function is not None else None
        if isinstance(parent, cst.WithItem) and parent.asname is not None:
            name = parent.asname.name
            return (name.value, scope) if isinstance(name, cst.Name) else (None, None)
        if isinstance(parent, cst.Assign) and len(parent.targets) == 1:
            assigned = parent.targets[0].target
            return (assigned.value, scope) if isinstance(assigned, cst.Name) else (None, None)
        return None, None

    def _merge(self, edits: dict[cst.CSTNode, Edit]) -> None:
        for node, edit in edits.items():
            earlier = self.edits.get(node)
            self.edits[node] = edit if earlier is None else _chained(earlier, edit)


def _chained(first: Edit, second: Edit) -> Edit:
    return lambda node: second(first(node))


def _sync_test(function: cst.FunctionDef | None, callee: ChangedCallee) -> str | None:
    """For a twin: why a sync test keeps its mock of the sync original (it still calls it)."""
    if not callee.twin or function is None or function.asynchronous is not None:
        return None
    if not function.name.value.startswith("test"):
        return None
    runs_loop = False

    class _Runner(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            nonlocal runs_loop
            name = get_full_name_for_node(node.func) or ""
            runs_loop = runs_loop or name in LOOP_RUNNERS or name.rpartition(".")[2] in LOOP_RUNNERS

    function.visit(_Runner())
    if runs_loop:
        return None
    return f"a sync test: it still calls the sync {callee.name}, which the twin {callee.now} leaves in place"


def _names_class(patch: PatchCall, callee: ChangedCallee) -> bool:
    """Whether the patch replaces the method on its class (not on an instance)."""
    return len(patch.target) >= 2 and patch.target[-2] == callee.owner


def _method_uses(scope: cst.CSTNode, variable: str, method: str) -> list[tuple[cst.Attribute, cst.Assign | None]]:
    """Each ``variable[.return_value...].method`` in ``scope``, with the assignment that
    configures it (``... .method.return_value = v``, ``.side_effect = v``, ``.method = v``)."""
    found: list[tuple[cst.Attribute, cst.Assign | None]] = []
    configured: dict[cst.Attribute, cst.Assign] = {}

    class _Uses(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            if len(node.targets) != 1:
                return
            target = node.targets[0].target
            if _is_use(target, variable, method):
                assert isinstance(target, cst.Attribute)
                configured[target] = node
            elif (
                isinstance(target, cst.Attribute)
                and target.attr.value in {"return_value", "side_effect"}
                and _is_use(target.value, variable, method)
            ):
                assert isinstance(target.value, cst.Attribute)
                configured[target.value] = node

        def visit_Attribute(self, node: cst.Attribute) -> None:
            if _is_use(node, variable, method):
                found.append((node, None))

    scope.visit(_Uses())
    return [(attr, configured.get(attr)) for attr, _ in found]


def _is_use(node: cst.BaseExpression, variable: str, method: str) -> bool:
    if not isinstance(node, cst.Attribute) or node.attr.value != method:
        return False
    base = node.value
    while isinstance(base, cst.Attribute) and base.attr.value == "return_value":
        base = base.value
    return isinstance(base, cst.Name) and base.value == variable


def _plain_side_effect(value: cst.BaseExpression) -> bool:
    """A side effect an AsyncMock treats as the Mock did: values to return or an exception."""
    if isinstance(value, (cst.List, cst.Tuple)):
        return True
    named = value.func if isinstance(value, cst.Call) else value
    name = get_full_name_for_node(named) or ""
    return name.endswith(("Error", "Exception"))


def _async_mock(reference: str, keyword: str, value: cst.BaseExpression) -> cst.Call:
    return cst.Call(cst.parse_expression(reference), [_keyword(keyword, value)])


def _keyword(name: str, value: cst.BaseExpression) -> cst.Arg:
    """``name=value``, spaced as PEP 8 spells a keyword argument."""
    tight = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))
    return cst.Arg(value, keyword=cst.Name(name), equal=tight)


def _insert_arg(call: cst.Call, arg: cst.Arg) -> cst.Call:
    """``call`` with ``arg`` after its positional arguments, commas as the call spells them."""
    args = list(call.args)
    index = sum(1 for a in args if a.keyword is None and not a.star)
    spelled = next((a.comma for a in args if isinstance(a.comma, cst.Comma) and a is not args[-1]), None)
    comma = spelled or cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    if index < len(args):
        args.insert(index, arg.with_changes(comma=comma))
    else:
        last = args[-1]
        args[-1] = last.with_changes(comma=comma)
        args.append(arg.with_changes(comma=last.comma))
    return call.with_changes(args=args)


def _renamed_string(node: cst.SimpleString, now: str) -> cst.SimpleString:
    value = node.evaluated_value
    assert isinstance(value, str)
    head, _, _ = value.rpartition(".")
    renamed = f"{head}.{now}" if head else now
    return node.with_changes(value=f"{node.prefix}{node.quote}{renamed}{node.quote}")


def _code(node: cst.CSTNode | None) -> str:
    text = cst.Module([]).code_for_node(node) if node is not None else ""
    return text if len(text) <= 40 else text[:37] + "..."


def _as_call(node: cst.CSTNode) -> cst.Call:
    assert isinstance(node, cst.Call)
    return node


def _as_string(node: cst.CSTNode) -> cst.SimpleString:
    assert isinstance(node, cst.SimpleString)
    return node


def _as_attribute(node: cst.CSTNode) -> cst.Attribute:
    assert isinstance(node, cst.Attribute)
    return node


def _as_expression(node: cst.CSTNode) -> cst.BaseExpression:
    assert isinstance(node, cst.BaseExpression)
    return node
