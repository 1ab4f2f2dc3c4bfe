"""What the scanner knows about receiver types without running any code.

pathlib is typed first because it is where most blocking method calls hide: a ``Path``
comes from a constructor, an annotation, ``/`` on a Path, ``.parent``, ``Path.cwd()``, or
a method that returns another Path. Everything else is typed only as "an instance of the
class that constructed it".
"""

from __future__ import annotations

PATH = "pathlib.Path"

PATH_CLASSES = frozenset({"pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath"})
"""Concrete Path classes; PurePath is deliberately absent (it never touches the disk)."""

PATH_FACTORIES = frozenset({"pathlib.Path.cwd", "pathlib.Path.home"})
PATH_RETURNING_METHODS = frozenset(
    {
        "absolute",
        "expanduser",
        "joinpath",
        "readlink",
        "relative_to",
        "resolve",
        "with_name",
        "with_stem",
        "with_suffix",
    }
)
PATH_ATTRIBUTES = frozenset({"parent"})
PATH_ITERATORS = frozenset({"iterdir", "glob", "rglob"})
"""Methods whose elements are Paths: ``for child in root.iterdir()``."""

TYPE_CHECKING_NAMES = frozenset({"typing.TYPE_CHECKING", "typing_extensions.TYPE_CHECKING"})
RUNNING_LOOP_CHECKS = frozenset({"asyncio.get_running_loop", "asyncio.events.get_running_loop"})
BACKEND_MODULES = frozenset({"anyio", "trio", "asyncio"})


def normalise_type(name: str) -> str:
    """One name per type: every concrete Path class is ``pathlib.Path``."""
    return PATH if name in PATH_CLASSES else name
