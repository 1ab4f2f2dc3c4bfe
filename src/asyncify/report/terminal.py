"""Whether output is for a terminal: colour, tables and Markdown, or plain text.

Apart from the renderers so that a command can decide before it imports rich.
"""

from __future__ import annotations

import os
from typing import TextIO


def use_color(stream: TextIO) -> bool:
    """``NO_COLOR`` wins, then ``FORCE_COLOR``, then whether ``stream`` is a terminal."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty is not None and isatty())
    except ValueError:  # a closed stream
        return False
