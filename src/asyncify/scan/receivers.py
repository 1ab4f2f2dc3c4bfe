"""What the scanner knows about receiver types without running any code.

pathlib is typed first because it is where most blocking method calls hide: a ``Path``
comes from a constructor, an annotation, ``/`` on a Path, ``.parent``, ``Path.cwd()``, or
a method that returns another Path. Everything else is typed as "an instance of the
class that constructed it", or by the catalogue's ``[returns]`` tables (``sqlite3.connect``
makes a ``sqlite3.Connection``).
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

COROUTINE_CONSUMERS = frozenset(
    {
        "gather",
        "wait_for",
        "wait",
        "shield",
        "create_task",
        "ensure_future",
        "run_coroutine_threadsafe",
        "as_completed",
        "start_soon",
        "timeout",
    }
)
"""Functions whose arguments are awaitables: a guessed call passed to them is a coroutine."""

TYPE_CHECKING_NAMES = frozenset({"typing.TYPE_CHECKING", "typing_extensions.TYPE_CHECKING"})
RUNNING_LOOP_CHECKS = frozenset({"asyncio.get_running_loop", "asyncio.events.get_running_loop"})
LOOP_BOUND_CALLS = frozenset(
    {
        "asyncio.get_running_loop",
        "asyncio.events.get_running_loop",
        "asyncio.get_event_loop",
        "asyncio.create_task",
        "asyncio.ensure_future",
        "asyncio.current_task",
        "asyncio.all_tasks",
        "anyio.from_thread.run",
        "trio.lowlevel.current_trio_token",
    }
)
"""APIs that only work on the event loop's thread: code calling them must not be moved
to a worker thread (``asyncio.get_running_loop()`` raises there)."""
THREAD_CONSUMERS = frozenset({"list", "next"})
"""``to_thread(list, it)`` and ``to_thread(next, it)`` iterate ``it`` in the worker
thread: creating a lazy iterator as their argument does no I/O on the loop."""
BACKEND_MODULES = frozenset({"anyio", "trio", "asyncio"})


def normalise_type(name: str) -> str:
    """One name per type: every concrete Path class is ``pathlib.Path``."""
    return PATH if name in PATH_CLASSES else name
