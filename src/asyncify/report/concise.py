"""``--output-format concise``: one line per finding, as ruff's concise output.

```
src/app/doctor.py:59:18: AFY200 [*] `_load_config_sync` is a sync helper that blocks ...
src/app/io.py:3:5: AFY102 `Path.read_text` blocks the event loop (likely)
src/broken.py: syntax error: invalid syntax (line 3, column 5)
3 findings in 2 files (1 fixable), checked 12 files; 1 file could not be checked
```

The ``path:line:col:`` prefix is what editors' and CI's problem matchers read; the chain
is left out (``full``, ``human`` and ``json`` show it).
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from asyncify.findings import Finding
from asyncify.report.human import finding_text, render_errors, render_summary
from asyncify.report.report import Report


def concise_line(finding: Finding) -> Text:
    """``path:line:col: CODE [*] message (likely)``."""
    return finding_text(finding, ":")


def render_concise(report: Report, console: Console, *, quiet: bool = False, verbose: bool = False) -> None:
    """One line per finding, one per file that could not be checked, then the summary."""
    for finding in report.ordered():
        console.print(concise_line(finding))
    render_errors(report, console)
    if not quiet:
        render_summary(report, console, verbose=verbose)
