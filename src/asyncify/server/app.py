"""The language server: LSP over stdio with pygls; the handlers are thin.

Diagnostics are computed for every open Python document when one is opened, changed
(after a pause in typing) or saved, and published per document. The work runs in a
worker thread (``asyncio.to_thread``), one check at a time, always on the latest
buffers. The code actions that fix a finding are listed without their edit; the edit
is computed when the editor resolves the chosen action (``codeAction/resolve``), or for
every action up front for a client that cannot resolve edits. The action that adds an
ignore comment comes with its edit.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from asyncify import __version__
from asyncify.plan import decide
from asyncify.server.actions import code_action, strategies_for, suppression_action
from asyncify.server.diagnostics import hover_text
from asyncify.server.session import Buffer, Checked, check_open, fix_edit
from asyncify.vocabulary import Strategy

DEBOUNCE_S = 0.3
"""How long typing must pause before a changed buffer is checked again."""


class AsyncifyServer(LanguageServer):
    """The server's state: the last check of each open document, and the check scheduler."""

    def __init__(self) -> None:
        super().__init__("asyncify", __version__)
        self.checked: dict[str, Checked] = {}
        self._shown: set[str] = set()
        """Problems already shown: once per distinct message, not on every keystroke."""
        self._lock = asyncio.Lock()
        self._timer: asyncio.Task[None] | None = None

    def buffers(self) -> list[Buffer]:
        """The open documents that are Python files on disk (or to be saved there)."""
        found = []
        for uri, document in self.workspace.text_documents.items():
            path = to_fs_path(uri) if uri.startswith("file:") else None
            if path is None or not (path.endswith(".py") or document.language_id == "python"):
                continue
            found.append(Buffer(uri, Path(os.path.abspath(path)), document.source, document.version))
        return found

    def units(self, text: str) -> int:
        count: int = self.workspace.position_codec.client_num_units(text)
        return count

    def schedule(self, delay: float) -> None:
        """Check again after ``delay`` seconds; a later call restarts the wait."""
        if self._timer is not None and not self._timer.done():
            self._timer.cancel()
        self._timer = asyncio.get_running_loop().create_task(self._after(delay))

    async def _after(self, delay: float) -> None:
        await asyncio.sleep(delay)
        self._timer = None  # from here on it runs to the end: a newer change waits for it
        await self.refresh()

    async def refresh(self) -> None:
        """Check every open buffer and publish the diagnostics."""
        async with self._lock:
            buffers = self.buffers()
            try:
                outcome = await asyncio.to_thread(check_open, buffers, self.units)
            except Exception as error:  # the server goes on; the user is told
                self.tell(types.MessageType.Error, f"asyncify: internal error: {type(error).__name__}: {error}")
                return
            for problem in outcome.problems:
                if problem not in self._shown:
                    self._shown.add(problem)
                    self.tell(types.MessageType.Error, problem)
            self.checked = outcome.checked
            still_open = self.workspace.text_documents
            for buffer in (b for b in buffers if b.uri in still_open):
                state = outcome.checked.get(buffer.uri)
                diagnostics = state.diagnostics if state is not None else []
                self.text_document_publish_diagnostics(
                    types.PublishDiagnosticsParams(uri=buffer.uri, diagnostics=diagnostics, version=buffer.version)
                )

    async def current(self, uri: str) -> Checked | None:
        """The document's check, brought up to date with its buffer first when it lags."""
        state = self.checked.get(uri)
        document = self.workspace.text_documents.get(uri)
        if document is not None and (state is None or state.version != document.version):
            if self._timer is not None and not self._timer.done():
                self._timer.cancel()
            await self.refresh()
            state = self.checked.get(uri)
        return state

    async def actions(self, uri: str, where: types.Range) -> list[types.CodeAction]:
        """One action per strategy for each finding under ``where``, without edits."""
        state = await self.current(uri)
        if state is None:
            return []
        actions = []
        for diagnostic in state.diagnostics:
            if not diagnostic.data or not _overlaps(diagnostic.range, where):
                continue
            key = diagnostic.data["key"]
            finding = state.findings[key]
            preferred = decide(finding, state.project.config).strategy
            for strategy in strategies_for(finding, state.project.config):
                data = {"uri": uri, "key": key, "strategy": str(strategy)}
                actions.append(code_action(finding, strategy, diagnostic, strategy is preferred, data))
            document = self.workspace.text_documents.get(uri)
            ignore = suppression_action(finding, diagnostic, uri, document.source, self.units) if document else None
            if ignore is not None:
                actions.append(ignore)
        return actions

    async def resolve(self, action: types.CodeAction, *, quiet: bool = False) -> types.CodeAction:
        """``action`` with its edit; unchanged when there is none, and the user is told why
        unless ``quiet`` (actions listed with their edits: the refused ones are left out)."""
        if action.edit is not None:
            return action  # made with its edit (an ignore comment)
        data = action.data if isinstance(action.data, dict) else {}
        uri, key, name = data.get("uri"), data.get("key"), data.get("strategy")
        state = await self.current(uri) if isinstance(uri, str) else None
        finding = state.findings.get(key) if state is not None and isinstance(key, str) else None
        if state is None or finding is None or name not in tuple(Strategy):
            if not quiet:
                self.tell(types.MessageType.Warning, "asyncify: the document changed since; ask for the fix again")
            return action
        versioned = self.client_supports("workspace.workspace_edit.document_changes")
        async with self._lock:  # one run at a time over a project's scan cache
            try:
                outcome = await asyncio.to_thread(
                    fix_edit, state, finding, Strategy(name), self.buffers(), self.units, document_changes=versioned
                )
            except Exception as error:  # the server goes on; the user is told
                outcome = f"internal error: {type(error).__name__}: {error}"
        if isinstance(outcome, str):
            if not quiet:
                self.tell(types.MessageType.Warning, f"asyncify: not fixed: {outcome}")
        else:
            action.edit = outcome
        return action

    def tell(self, kind: types.MessageType, message: str) -> None:
        self.window_show_message(types.ShowMessageParams(type=kind, message=message))

    def resolves_edits(self) -> bool:
        """Whether the client asks for an action's edit only once it is chosen."""
        support = self.client_capabilities.text_document
        resolve = support.code_action.resolve_support if support and support.code_action else None
        return resolve is not None and "edit" in resolve.properties

    def client_supports(self, dotted: str) -> bool:
        """A client capability, by its dotted path (``text_document.code_action.resolve_support``)."""
        value: object = self.client_capabilities
        for name in dotted.split("."):
            value = getattr(value, name, None)
            if value is None:
                return False
        return bool(value)


def build_server() -> AsyncifyServer:
    """A server with every feature registered (one per process: ``serve``; one per test)."""
    ls = AsyncifyServer()

    @ls.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(0)

    @ls.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(DEBOUNCE_S)

    @ls.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule(0)

    @ls.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.checked.pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        ls.schedule(0)  # the other buffers now see the file's text on disk

    @ls.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(params: types.HoverParams) -> types.Hover | None:
        state = await ls.current(params.text_document.uri)
        if state is None:
            return None
        for diagnostic in state.diagnostics:
            if diagnostic.data and _contains(diagnostic.range, params.position):
                finding = state.findings[diagnostic.data["key"]]
                content = types.MarkupContent(kind=types.MarkupKind.Markdown, value=hover_text(finding))
                return types.Hover(contents=content, range=diagnostic.range)
        return None

    @ls.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix], resolve_provider=True),
    )
    async def code_actions(params: types.CodeActionParams) -> list[types.CodeAction] | None:
        actions = await ls.actions(params.text_document.uri, params.range)
        if ls.resolves_edits():
            return actions
        resolved = [action if action.edit else await ls.resolve(action, quiet=True) for action in actions]
        return [action for action in resolved if action.edit is not None]

    @ls.feature(types.CODE_ACTION_RESOLVE)
    async def resolve(action: types.CodeAction) -> types.CodeAction:
        return await ls.resolve(action)

    return ls


def _contains(span: types.Range, at: types.Position) -> bool:
    return (span.start.line, span.start.character) <= (at.line, at.character) <= (span.end.line, span.end.character)


def _overlaps(a: types.Range, b: types.Range) -> bool:
    return _contains(a, b.start) or _contains(a, b.end) or _contains(b, a.start)


def serve() -> None:
    """Serve over stdin/stdout until the client says exit."""
    build_server().start_io()
