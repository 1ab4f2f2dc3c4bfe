"""``asyncify server``: the language server for editors (the ``server`` extra)."""

from __future__ import annotations

from typing import Annotated

import typer

from asyncify.cli.options import fail

EXTRA_MISSING = (
    "asyncify server needs the `server` extra (pygls, lsprotocol): pip install 'asyncify-lint[server]'"
)


def server(
    stdio: Annotated[
        bool, typer.Option("--stdio", help="Speak LSP over stdin/stdout (the default and only transport).")
    ] = True,
) -> None:
    """Run the language server (LSP over stdin/stdout) for editors: diagnostics with call chains, hover, and code actions that apply fixes.

    Start it from the editor, not by hand; the README's "Editors" section has VS Code and Neovim set-ups.
    """
    try:
        from asyncify.server.app import serve
    except ImportError as error:
        if error.name not in ("pygls", "lsprotocol") and not str(error.name).startswith(("pygls.", "lsprotocol.")):
            raise
        fail(EXTRA_MISSING)
    serve()
