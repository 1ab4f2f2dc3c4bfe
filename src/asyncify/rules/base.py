"""What a rule is: a code, a name, a message template and its documentation.

Detection itself is shared (the catalogue says which calls block, the analysis says which
helpers reach them); a rule module carries what users read: the stable code, the
one-line message, the ``noqa`` codes of flake8-async/ruff it corresponds to, its
docstring, and its examples. The docstring has fixed sections so the documentation reads
the same for every rule; its ``## Example`` section is made from the examples, which
the test suite runs through detection (as Fixit's ``VALID``/``INVALID``): every
``INVALID`` module gives exactly one finding, of this rule, and every ``VALID`` module
none. So the documentation cannot show an example that does not do what it says. A rule
found only at run time (``observed``) is the exception: its ``INVALID`` modules give *no*
static finding (that is why the rule exists); the run-time tests show the rest.
"""

from __future__ import annotations

import inspect
import textwrap
from typing import ClassVar

DOC_SECTIONS = ("## What it finds", "## Why it is a problem", "## Example", "## Fix", "## Fix safety")


class Rule:
    """Base class; subclasses live one per module in ``asyncify.rules``."""

    code: ClassVar[str]
    name: ClassVar[str]
    message: ClassVar[str]
    """Template with ``{call}`` (the callee's display name)."""
    noqa: ClassVar[tuple[str, ...]] = ()
    """flake8-async / ruff codes whose ``# noqa`` also suppresses this rule."""
    indirect: ClassVar[bool] = False
    observed: ClassVar[bool] = False
    """Reported only from a run-time report (``check --runtime``), never by static analysis."""
    INVALID: ClassVar[tuple[str, ...]] = ()
    """Whole modules with exactly one finding of this rule (the first is the example)."""
    VALID: ClassVar[tuple[str, ...]] = ()
    """Whole modules with no finding: the fixed form, and near misses."""
    EXAMPLE_CONFIG: ClassVar[str] = ""
    """``[tool.asyncify]`` lines the examples need (``extra-blocking-calls``)."""

    @classmethod
    def documentation(cls) -> str:
        """The docstring with its ``## Example`` section, made from the examples, before
        ``## Fix``."""
        text = inspect.cleandoc(cls.__doc__ or "")
        example = cls.example_section()
        if not example:
            return text
        head, marker, tail = text.partition("\n## Fix\n")
        return f"{head}\n{example}\n{marker.lstrip()}{tail}" if marker else f"{text}\n\n{example}"

    @classmethod
    def example_section(cls) -> str:
        """``## Example``: what is reported, what is not, and the configuration used."""
        if not cls.INVALID:
            return ""
        parts = ["## Example"]
        if cls.EXAMPLE_CONFIG:
            parts += ["With this in `[tool.asyncify]`:", _fenced("toml", cls.EXAMPLE_CONFIG)]
        reported = "Reported with `--runtime`, once the tests saw the call block:" if cls.observed else "Reported:"
        parts += [reported, *(_fenced("python", code) for code in cls.INVALID)]
        if cls.VALID:
            parts += ["Not reported:", *(_fenced("python", code) for code in cls.VALID)]
        return "\n\n".join(parts) + "\n"

    @classmethod
    def summary(cls) -> str:
        return cls.documentation().splitlines()[0] if cls.__doc__ else cls.name

    @classmethod
    def format(cls, call: str) -> str:
        return cls.message.format(call=call)


def _fenced(language: str, code: str) -> str:
    return f"```{language}\n{textwrap.dedent(code).strip()}\n```"
