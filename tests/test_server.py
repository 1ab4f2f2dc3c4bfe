"""``asyncify server`` end to end: a real LSP client (pytest-lsp) drives the server over stdio.

The project under test blocks two modules away from the file that is open: ``app.main``
calls ``helpers.load_settings``, which calls ``storage.read_blob``, which reads a file.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

import pytest
import pytest_lsp
from hypothesis import given
from hypothesis import strategies as st
from lsprotocol import types
from pygls.uris import from_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from asyncify.server.text import split_lines, text_edits

SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "asyncify", "server"])
TIMEOUT_S = 60

APP = """\
from pkg.helpers import load_settings


async def main() -> None:
    settings = load_settings("\N{GRINNING FACE}")
    print(settings)
"""
HELPERS = """\
from pkg.storage import read_blob


def load_settings(name: str) -> str:
    return read_blob(name)
"""
STORAGE = """\
from pathlib import Path


def read_blob(name: str) -> str:
    return Path(name).read_text()
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "pkg").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'proj'\nrequires-python = '>=3.11'\n")
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "app.py").write_text(APP)
    (root / "pkg" / "helpers.py").write_text(HELPERS)
    (root / "pkg" / "storage.py").write_text(STORAGE)
    return root


def uri(path: Path) -> str:
    found = from_fs_path(str(path))
    assert found is not None
    return found


async def start(client: LanguageClient, project: Path, capabilities: types.ClientCapabilities) -> None:
    await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities,
            root_uri=uri(project),
            workspace_folders=[types.WorkspaceFolder(uri=uri(project), name="proj")],
        )
    )


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, project: Path) -> AsyncIterator[None]:
    """A client with VS Code's capabilities: resolves edits lazily, versioned document changes."""
    await start(lsp_client, project, client_capabilities("visual-studio-code"))
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=SERVER)
async def nvim(lsp_client: LanguageClient, project: Path) -> AsyncIterator[None]:
    """Neovim's capabilities (no versioned document changes) without ``codeAction/resolve``
    (as older clients): every action comes with its edit."""
    capabilities = client_capabilities("neovim")
    assert capabilities.text_document is not None and capabilities.text_document.code_action is not None
    capabilities.text_document.code_action.resolve_support = None
    await start(lsp_client, project, capabilities)
    yield
    await lsp_client.shutdown_session()


def open_file(client: LanguageClient, path: Path, text: str | None = None) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri(path), language_id="python", version=1, text=path.read_text() if text is None else text
            )
        )
    )


def change_file(client: LanguageClient, path: Path, text: str, version: int) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri(path), version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def diagnostics_when(
    client: LanguageClient, path: Path, done: Callable[[Sequence[types.Diagnostic]], bool]
) -> Sequence[types.Diagnostic]:
    """The file's diagnostics, once they satisfy ``done``."""

    async def wait() -> Sequence[types.Diagnostic]:
        while True:
            current = client.diagnostics.get(uri(path))
            if current is not None and done(current):
                return current
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    return await asyncio.wait_for(wait(), TIMEOUT_S)


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def apply(text: str, edits: Sequence[types.TextEdit]) -> str:
    """``edits`` applied to ``text`` as an editor does (UTF-16 columns, last edit first)."""
    lines = split_lines(text)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(at: types.Position) -> int:
        if at.line >= len(lines):
            return len(text)
        content = lines[at.line].rstrip("\r\n")
        count = 0
        for index, char in enumerate(content):
            if count >= at.character:
                return starts[at.line] + index
            count += utf16(char)
        return starts[at.line] + len(content)

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


def edits_by_uri(edit: types.WorkspaceEdit) -> dict[str, list[types.TextEdit]]:
    if edit.document_changes is not None:
        found: dict[str, list[types.TextEdit]] = {}
        for change in edit.document_changes:
            assert isinstance(change, types.TextDocumentEdit)
            found.setdefault(change.text_document.uri, []).extend(
                e for e in change.edits if isinstance(e, types.TextEdit)
            )
        return found
    assert edit.changes is not None
    return {key: list(value) for key, value in edit.changes.items()}


async def actions_at(client: LanguageClient, path: Path, diagnostic: types.Diagnostic) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri(path)),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    assert result is not None
    return [a for a in result if isinstance(a, types.CodeAction)]


@pytest.mark.asyncio
async def test_diagnostic_for_a_call_that_blocks_two_modules_away(client: LanguageClient, project: Path) -> None:
    app = project / "pkg" / "app.py"
    open_file(client, app)
    (found,) = await diagnostics_when(client, app, lambda d: len(d) > 0)
    assert found.code == "AFY200"
    assert found.source == "asyncify"
    assert "main -> load_settings -> read_blob -> Path.read_text()" in found.message
    line = APP.splitlines()[4]
    start = line.index("load_settings")
    assert found.range.start == types.Position(line=4, character=start)
    # The emoji inside the call is two UTF-16 code units: the end column is in the client's units.
    assert found.range.end == types.Position(line=4, character=utf16(line[: line.index(")") + 1]))
    related = [(r.location.uri, r.location.range.start.line, r.message) for r in found.related_information or []]
    assert related == [
        (uri(project / "pkg" / "helpers.py"), 3, "`load_settings` is defined here"),
        (uri(project / "pkg" / "helpers.py"), 4, "calls `read_blob`"),
        (uri(project / "pkg" / "storage.py"), 4, "calls `Path.read_text()`, which blocks"),
    ]


@pytest.mark.asyncio
async def test_an_edited_buffer_replaces_its_file_for_the_other_open_files(
    client: LanguageClient, project: Path
) -> None:
    app, storage = project / "pkg" / "app.py", project / "pkg" / "storage.py"
    open_file(client, app)
    open_file(client, storage)
    await diagnostics_when(client, app, lambda d: len(d) == 1)
    change_file(client, storage, STORAGE.replace("Path(name).read_text()", "name"), 2)
    await diagnostics_when(client, app, lambda d: len(d) == 0)
    assert storage.read_text() == STORAGE  # nothing written
    change_file(client, storage, STORAGE.replace("Path(name).read_text()", "open(name).read()"), 3)
    (again,) = await diagnostics_when(client, app, lambda d: len(d) == 1)
    assert "read_blob -> open()" in again.message


@pytest.mark.asyncio
async def test_hover_shows_the_chain_and_the_rule(client: LanguageClient, project: Path) -> None:
    app = project / "pkg" / "app.py"
    open_file(client, app)
    (found,) = await diagnostics_when(client, app, lambda d: len(d) > 0)
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri(app)), position=found.range.start)
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    text = hover.contents.value
    assert "chain: `main -> load_settings -> read_blob -> Path.read_text()`" in text
    assert "fix strategies: wrap, twin, propagate" in text
    assert "\n### AFY200 (blocking-helper-call)\n" in text and "\n##### Why it is a problem\n" in text
    elsewhere = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri(app)), position=types.Position(line=0, character=0)
        )
    )
    assert elsewhere is None


@pytest.mark.asyncio
async def test_applying_a_wrap_action_makes_the_diagnostic_disappear(
    client: LanguageClient, project: Path
) -> None:
    app = project / "pkg" / "app.py"
    open_file(client, app)
    (found,) = await diagnostics_when(client, app, lambda d: len(d) > 0)
    actions = await actions_at(client, app, found)
    assert [a.title for a in actions] == [
        "asyncify (wrap): run `load_settings` in a worker thread",
        "asyncify (twin): call an async twin of `load_settings`",
        "asyncify (propagate): make `load_settings` async, and its callers await it",
        "asyncify: ignore AFY200 on this line",
    ]
    assert [a.is_preferred for a in actions] == [True, None, None, None]
    assert all(a.edit is None for a in actions[:3])  # VS Code resolves the chosen one
    resolved = await client.code_action_resolve_async(actions[0])
    assert resolved.edit is not None
    edits = edits_by_uri(resolved.edit)
    assert list(edits) == [uri(app)]
    fixed = apply(APP, edits[uri(app)])
    assert 'settings = await asyncio.to_thread(load_settings, "\N{GRINNING FACE}")' in fixed
    change_file(client, app, fixed, 2)
    await diagnostics_when(client, app, lambda d: len(d) == 0)


@pytest.mark.asyncio
async def test_a_twin_action_edits_every_module_as_fix_would(
    client: LanguageClient, project: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(project, copy)
    subprocess.run(
        [sys.executable, "-m", "asyncify", "fix", "--strategy", "twin", "--no-cache", str(copy)],
        check=True,
        capture_output=True,
    )
    app = project / "pkg" / "app.py"
    open_file(client, app)
    (found,) = await diagnostics_when(client, app, lambda d: len(d) > 0)
    twin = next(a for a in await actions_at(client, app, found) if "(twin)" in a.title)
    resolved = await client.code_action_resolve_async(twin)
    assert resolved.edit is not None and resolved.edit.document_changes is not None
    versions = {c.text_document.uri: c.text_document.version for c in resolved.edit.document_changes}  # type: ignore[union-attr]
    names = ("app.py", "helpers.py", "storage.py")
    assert versions == {uri(app): 1, **{uri(project / "pkg" / n): None for n in names[1:]}}
    edits = edits_by_uri(resolved.edit)
    for name in names:
        path = project / "pkg" / name
        assert apply(path.read_text(), edits[uri(path)]) == (copy / "pkg" / name).read_text(), name
    change_file(client, app, apply(APP, edits[uri(app)]), 2)
    for name in names[1:]:  # as the editor would: the other files written
        path = project / "pkg" / name
        path.write_text(apply(path.read_text(), edits[uri(path)]))
    await diagnostics_when(client, app, lambda d: len(d) == 0)


@pytest.mark.asyncio
async def test_a_client_without_resolve_gets_edits_up_front(
    nvim: LanguageClient, project: Path
) -> None:
    client = nvim
    app = project / "pkg" / "app.py"
    open_file(client, app)
    (found,) = await diagnostics_when(client, app, lambda d: len(d) > 0)
    actions = await actions_at(client, app, found)
    assert [a.title.split(")")[0] for a in actions] == [
        "asyncify (wrap",
        "asyncify (twin",
        "asyncify (propagate",
        "asyncify: ignore AFY200 on this line",
    ]
    assert all(a.edit is not None and a.edit.changes is not None for a in actions)  # no document_changes support
    fixed = apply(APP, edits_by_uri(actions[2].edit)[uri(app)])  # type: ignore[arg-type]
    assert "async def main() -> None:\n    settings = await load_settings(" in fixed


@pytest.mark.asyncio
async def test_only_the_chosen_finding_is_fixed(client: LanguageClient, project: Path) -> None:
    app = project / "pkg" / "app.py"
    text = APP + "\n\nasync def tick() -> None:\n    import time\n    time.sleep(1)\n    time.sleep(2)\n"
    open_file(client, app, text)
    found = await diagnostics_when(client, app, lambda d: len(d) == 3)
    second_sleep = found[2]
    assert second_sleep.code == "AFY110" and second_sleep.range.start.line == 11
    (sleep, _wrap, _ignore) = await actions_at(client, app, second_sleep)
    assert sleep.title == "asyncify (sleep): sleep without blocking: await an async sleep" and sleep.is_preferred
    resolved = await client.code_action_resolve_async(sleep)
    assert resolved.edit is not None
    fixed = apply(text, edits_by_uri(resolved.edit)[uri(app)])
    assert "    time.sleep(1)\n    await asyncio.sleep(2)\n" in fixed
    assert 'settings = load_settings("' in fixed


@pytest.mark.asyncio
async def test_a_buffer_that_does_not_parse_says_so(client: LanguageClient, project: Path) -> None:
    app = project / "pkg" / "app.py"
    open_file(client, app, APP + "\ndef broken(:\n")
    (found,) = await diagnostics_when(client, app, lambda d: len(d) > 0)
    assert found.severity == types.DiagnosticSeverity.Information
    assert found.message.startswith("not checked: syntax error") and found.range.start.line == 7
    change_file(client, app, APP, 2)
    (blocking,) = await diagnostics_when(client, app, lambda d: len(d) == 1 and d[0].code == "AFY200")
    assert blocking.range.start.line == 4


@pytest.mark.asyncio
async def test_a_configuration_error_is_shown_once(client: LanguageClient, project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.asyncify]\nselct = ['AFY1']\n")
    app = project / "pkg" / "app.py"
    open_file(client, app)
    await diagnostics_when(client, app, lambda d: len(d) == 0)
    assert [m.message for m in client.messages if "selct" in m.message] == [
        f"{project / 'pyproject.toml'}: unknown key 'selct' in [tool.asyncify] (did you mean 'select'?)"
    ]


def test_without_the_extra_the_command_says_what_to_install() -> None:
    code = "import sys; sys.modules['pygls'] = None; from asyncify.cli import main; sys.argv[1:] = ['server']; main()"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 2
    assert "pip install 'asyncify-lint[server]'" in result.stderr
    assert "Traceback" not in result.stderr


def test_other_commands_do_not_import_the_server() -> None:
    code = (
        "import sys; from asyncify.cli import app; "
        "print(sorted(m for m in sys.modules if m.startswith(('pygls', 'lsprotocol', 'asyncify.server'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.asyncio
async def test_an_aiofiles_action_rewrites_the_with_block(client: LanguageClient, project: Path) -> None:
    path = project / "pkg" / "config.py"
    text = "async def read_config(path: str) -> str:\n    with open(path) as handle:\n        return handle.read()\n"
    path.write_text(text)
    open_file(client, path)
    found_all = await diagnostics_when(client, path, lambda d: len(d) > 0)
    assert sorted(str(d.code) for d in found_all) == ["AFY101", "AFY108"], "the open, and the read on its handle"
    (found,) = [d for d in found_all if d.code == "AFY101"]
    actions = await actions_at(client, path, found)
    titles = {a.title.split(" ")[1]: a for a in actions}
    assert list(titles) == ["(aiofiles):", "(wrap):", "ignore"]
    resolved = await client.code_action_resolve_async(titles["(aiofiles):"])
    assert resolved.edit is not None
    fixed = apply(text, edits_by_uri(resolved.edit)[uri(path)])
    assert "    async with aiofiles.open(path) as handle:\n        return await handle.read()\n" in fixed
    change_file(client, path, fixed, 2)
    await diagnostics_when(client, path, lambda d: len(d) == 0)


@pytest.mark.asyncio
async def test_saving_checks_again_with_the_files_on_disk(client: LanguageClient, project: Path) -> None:
    app = project / "pkg" / "app.py"
    open_file(client, app)
    await diagnostics_when(client, app, lambda d: len(d) == 1)
    (project / "pkg" / "storage.py").write_text(STORAGE.replace("Path(name).read_text()", "name"))
    client.diagnostics.clear()
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri(app))))
    await diagnostics_when(client, app, lambda d: len(d) == 0)


# The text edits the server sends: applied to the old text, they give the new one.

_LINES = st.lists(
    st.tuples(
        st.sampled_from(["", "x = 1", "é😀 = 2", "  pass", "\x0c# form feed"]),
        st.sampled_from(["\n", "\r\n", "\r", ""]),
    ),
    max_size=8,
)


def _text(parts: list[tuple[str, str]]) -> str:
    return "".join(content + end for content, end in parts)


@given(_LINES, _LINES)
def test_edits_turn_the_old_text_into_the_new(old: list[tuple[str, str]], new: list[tuple[str, str]]) -> None:
    before, after = _text(old), _text(new)
    assert apply(before, text_edits(before, after, utf16)) == after


def test_lines_break_where_python_and_lsp_break_them() -> None:
    assert split_lines("a\x0cb\r\nc\rd\ne\u2028f") == ["a\x0cb\r\n", "c\r", "d\n", "e\u2028f"]


def test_a_change_on_a_last_line_without_a_break_ends_at_its_last_column() -> None:
    (edit,) = text_edits("a\nb😀", "a\nc", utf16)
    assert (edit.range.start.line, edit.range.start.character) == (1, 0)
    assert (edit.range.end.line, edit.range.end.character) == (1, 3)
    assert edit.new_text == "c"


@pytest.mark.asyncio
async def test_an_ignore_comment_action_silences_the_finding(client: LanguageClient, project: Path) -> None:
    path = project / "pkg" / "calls.py"
    text = (
        "import time\n\n\nasync def tick() -> None:\n"
        "    time.sleep(\n        1,\n    )  # the sleep\n"
        "    x = 'a' + str(time.sleep(2)) + \\\n        'b'\n"
    )
    path.write_text(text)
    open_file(client, path)
    first, second = await diagnostics_when(client, path, lambda d: len(d) == 2)
    (ignore,) = [a for a in await actions_at(client, path, first) if "ignore" in a.title]
    assert ignore.edit is not None
    fixed = apply(text, edits_by_uri(ignore.edit)[uri(path)])
    assert "    )  # the sleep  # asyncify: ignore[AFY110]\n" in fixed
    # A comment after a line continuation would not parse: no ignore action there.
    assert [a for a in await actions_at(client, path, second) if "ignore" in a.title] == []
    change_file(client, path, fixed, 2)
    (left,) = await diagnostics_when(client, path, lambda d: len(d) == 1)
    assert left.range.start.line == 7
