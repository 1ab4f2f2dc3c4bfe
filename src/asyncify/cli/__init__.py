"""asyncify's command line: a thin typer shell over the library (``asyncify.api``,
``asyncify.fixer``).

Every command follows the same steps: build the configuration
(``options.run_config``: the nearest ``pyproject.toml`` or ``--config``, then the
flags), call the library, fill a ``Report``, hand it to a renderer, and exit with
``report.exit_code``. Nothing here decides what is a finding or how output looks.

One module per command group (``check``, ``fix``, ``rules``: ``rules`` and ``explain``,
``server``: the language server),
registered below; ``options`` holds what they share. Building the command line imports
only typer and those modules: each command imports what it runs inside its function,
so ``asyncify --version`` and ``--help`` start in a fraction of a second.
"""

from __future__ import annotations

from typing import Annotated

import typer

from asyncify import __version__
from asyncify.cli.check import check
from asyncify.cli.fix import fix
from asyncify.cli.rules import explain, rules
from asyncify.cli.server import server

HELP = (
    "Find blocking synchronous calls (file I/O, sleep, subprocess, network) inside async def code, and rewrite them."
    "\n\nStart with `asyncify check src/`; `asyncify rules` lists the rules and `asyncify explain CODE` documents one."
)

app = typer.Typer(
    name="asyncify",
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain (click) help and usage errors: typer's rich formatting imports rich and
    # Markdown support, a tenth of a second on every `--help`.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"asyncify {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Find blocking synchronous calls inside async code, and rewrite them."""


app.command()(check)
app.command()(fix)
app.command()(rules)
app.command()(explain)
app.command()(server)


def main() -> None:
    """The console-script entry point (``asyncify``) and ``python -m asyncify``."""
    app(prog_name="asyncify")


__all__ = ["app", "main"]
