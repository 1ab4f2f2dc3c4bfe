"""``--format github``: GitHub Actions workflow commands, shown as annotations on the PR.

```
::warning file=src/app.py,line=12,col=5,endLine=12,endColumn=19,title=AFY101::`open` blocks ...
::error file=src/broken.py,title=asyncify::syntax error: invalid syntax (line 3, column 5)
```

Escaping follows the runner's rules: in the message ``%``, CR and LF become ``%25``,
``%0D`` and ``%0A``; property values additionally escape ``:`` and ``,`` (``%3A``,
``%2C``). An indirect finding's chain is a second line of the annotation.
"""

from __future__ import annotations

from asyncify.findings import Confidence, Finding
from asyncify.report.report import Report, display_path


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, properties: dict[str, str | int], message: str) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{kind} {props}::{escape_data(message)}"


def finding_line(finding: Finding) -> str:
    span = finding.span
    message = finding.message
    if finding.confidence is Confidence.LIKELY:
        message += " (likely)"
    if finding.chain:
        message += f"\nchain: {finding.chain_text()}"
    properties: dict[str, str | int] = {
        "file": display_path(finding.path),
        "line": span.line,
        "col": span.column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
        "title": finding.code,
    }
    return command("warning", properties, message)


def render_github(report: Report) -> str:
    lines = [finding_line(f) for f in report.ordered()]
    lines += [command("error", {"file": display_path(e.path), "title": "asyncify"}, e.message) for e in report.errors]
    return "".join(line + "\n" for line in lines)
