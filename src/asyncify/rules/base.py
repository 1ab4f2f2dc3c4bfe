"""What a rule is: a code, a name, a message template and its documentation.

Detection itself is shared (the catalogue says which calls block, the analysis says which
helpers reach them); a rule module carries what users read: the stable code, the
one-line message, the ``noqa`` codes of flake8-async/ruff it corresponds to, and its
docstring, which is the text ``asyncify explain CODE`` prints. The docstring has fixed
sections so the documentation reads the same for every rule.
"""

from __future__ import annotations

import inspect
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

    @classmethod
    def documentation(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return cls.documentation().splitlines()[0] if cls.__doc__ else cls.name

    @classmethod
    def format(cls, call: str) -> str:
        return cls.message.format(call=call)
