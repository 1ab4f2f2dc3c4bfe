"""Code actions: one per strategy that fixes a finding, and the workspace edit each makes.

The edit is computed by ``fix`` itself (``asyncify.fixer.run_fix`` with the finding as
its only target), so an editor applies exactly what ``asyncify fix`` would write for it:
a twin or a propagation edits several files at once.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable, Mapping
from dataclasses import replace

from lsprotocol import types

from asyncify.config import Config
from asyncify.findings import Finding, display_name, helper_name
from asyncify.fixer import FixResult, FixTarget
from asyncify.parsing import parse_module
from asyncify.plan import decide
from asyncify.server.text import Units, split_lines, text_edits
from asyncify.vocabulary import Strategy

_TITLES = {
    Strategy.WRAP: "run `{call}` in a worker thread",
    Strategy.COLLECT: "run `{call}` and its iteration in a worker thread",
    Strategy.SLEEP: "sleep without blocking: await an async sleep",
    Strategy.AIOFILES: "open the file asynchronously (aiofiles)",
    Strategy.EXTRACT: "run the `with` block in a worker thread",
    Strategy.TWIN: "call an async twin of `{call}`",
    Strategy.PROPAGATE: "make `{call}` async, and its callers await it",
}


def strategies_for(finding: Finding, config: Config) -> list[Strategy]:
    """The strategies ``fix --strategy S`` would apply to ``finding``, each once, in the
    finding's order (``wrap`` of a lazy iterator is ``collect``)."""
    found: list[Strategy] = []
    for strategy in finding.strategies:
        chosen = decide(finding, replace(config, strategy=strategy)).strategy
        if chosen is not None and chosen not in found:
            found.append(chosen)
    return found


def title(finding: Finding, strategy: Strategy) -> str:
    call = helper_name(finding.call) if finding.is_indirect else display_name(finding.call)
    return f"asyncify ({strategy}): " + _TITLES[strategy].format(call=call)


def code_action(
    finding: Finding, strategy: Strategy, diagnostic: types.Diagnostic, preferred: bool, data: dict[str, object]
) -> types.CodeAction:
    """The action without its edit (``codeAction/resolve`` computes it)."""
    return types.CodeAction(
        title=title(finding, strategy),
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        is_preferred=preferred or None,
        data=data,
    )


def suppression_action(
    finding: Finding, diagnostic: types.Diagnostic, uri: str, text: str, units: Units
) -> types.CodeAction | None:
    """``# asyncify: ignore[CODE]`` at the end of the call's last line, when the module
    still parses with it (not after a line continuation, not inside a string)."""
    lines = split_lines(text)
    index = finding.span.end_line - 1
    if index >= len(lines):
        return None
    content = lines[index].rstrip("\r\n")
    comment = f"  # asyncify: ignore[{finding.code}]"
    edited = "".join([*lines[:index], content + comment + lines[index][len(content) :], *lines[index + 1 :]])
    try:
        if ast.dump(parse_module(edited)) != ast.dump(parse_module(text)):
            return None  # the comment landed inside a string
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    end = types.Position(line=index, character=units(content))
    insert = types.TextEdit(range=types.Range(start=end, end=end), new_text=comment)
    return types.CodeAction(
        title=f"asyncify: ignore {finding.code} on this line",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        edit=types.WorkspaceEdit(changes={uri: [insert]}),
    )


def workspace_edit(
    result: FixResult,
    locate: Callable[[str], str],
    versions: Mapping[str, int],
    units: Units,
    *,
    document_changes: bool,
) -> types.WorkspaceEdit | None:
    """The files ``result`` rewrites, as edits of the texts it started from (the open
    buffers, else the files on disk); ``None`` when it changes nothing.

    With ``document_changes`` (when the client supports it) each file's edits carry the
    buffer's version, so an editor refuses them for a buffer that has changed since.
    """
    per_uri: dict[str, list[types.TextEdit]] = {}
    for file_fix in result.files:
        edits = text_edits(file_fix.source.text, file_fix.text, units)
        if edits:
            per_uri[locate(os.path.abspath(file_fix.display))] = edits
    if not per_uri:
        return None
    if not document_changes:
        return types.WorkspaceEdit(changes=per_uri)
    return types.WorkspaceEdit(
        document_changes=[
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=versions.get(uri)),
                edits=list(edits),
            )
            for uri, edits in per_uri.items()
        ]
    )


def refusal(result: FixResult, target: FixTarget) -> str:
    """Why ``result`` leaves ``target`` unfixed (or the first file error)."""
    for finding, reason in result.left:
        if target.matches(finding):
            return reason
    if result.errors:
        return f"{result.errors[0].path}: {result.errors[0].message}"
    return "the fix changes nothing"
