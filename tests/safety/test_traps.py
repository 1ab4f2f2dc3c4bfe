"""Trap files: code a thread hop or a list would break. Default ``fix`` must keep every
trap's behaviour: it refuses, naming the construct, or fixes in a way that keeps it.

Probes (issue 11, "Default fix changes behaviour in 10 of 40 trap files"): each trap below
was rewritten by the code before this change and its behaviour test then failed.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from safety_support import run_cli, write


@dataclass(frozen=True)
class Trap:
    name: str
    source: str
    behaviour: str
    """Python run in the project directory after ``fix``; raises when behaviour changed."""
    refused: str | None
    """The reason ``fix -v`` gives, or ``None`` when the trap must be fixed (safely)."""


TRAPS = [
    Trap(
        "chain_with_loop_bound_argument",
        "import asyncio\nimport os\n\n\ndef config_path(d):\n    asyncio.get_running_loop()\n"
        "    return os.path.join(d, 'c.txt')\n\n\nasync def load(d):\n    return open(config_path(d)).read()\n",
        "with open(os.path.join(d, 'c.txt'), 'w') as f:\n    f.write('x')\nassert asyncio.run(m.load(d)) == 'x'",
        None,  # open and read each in a thread; one lambda would run config_path() there too
    ),
    Trap(
        "scandir_with",
        "import os\n\n\nasync def names(p):\n    with os.scandir(p) as it:\n        return sorted(e.name for e in it)\n",
        "open(os.path.join(d, 'a'), 'w').close()\nassert asyncio.run(m.names(d)) == ['a']",
        "`os.scandir()` is the context manager of a with statement; a list is not one",
    ),
    Trap(
        "scandir_block",
        "import os\n\n\nasync def names(p):\n    found = []\n    with os.scandir(p) as it:\n"
        "        for entry in it:\n            found.append(entry.name)\n    return found\n",
        "open(os.path.join(d, 'a'), 'w').close()\nassert asyncio.run(m.names(d)) == ['a']",
        None,  # the whole block moves to a thread (extract), context manager and all
    ),
    Trap(
        "walk_slice",
        "import os\n\n\nasync def files(top):\n    found = []\n    for root, dirs, names in os.walk(top):\n"
        "        dirs[:] = [d for d in dirs if not d.startswith('.')]\n        found += names\n    return sorted(found)\n",
        "os.makedirs(os.path.join(d, '.hidden'))\nopen(os.path.join(d, '.hidden', 'x'), 'w').close()\n"
        "assert asyncio.run(m.files(d)) == []",
        "the loop changes `dirs` in place to prune the walk",
    ),
    Trap(
        "walk_remove",
        "import os\n\n\nasync def files(top):\n    found = []\n    for root, dirs, names in os.walk(top):\n"
        "        if 'skip' in dirs:\n            dirs.remove('skip')\n        found += names\n    return sorted(found)\n",
        "os.makedirs(os.path.join(d, 'skip'))\nopen(os.path.join(d, 'skip', 'x'), 'w').close()\n"
        "assert asyncio.run(m.files(d)) == []",
        "the loop changes `dirs` in place to prune the walk",
    ),
    Trap(
        "walk_next",
        "import os\n\n\nasync def top(p):\n    root, dirs, files = next(os.walk(p))\n    return files\n",
        "open(os.path.join(d, 'a'), 'w').close()\nassert asyncio.run(m.top(d)) == ['a']",
        None,  # `next` itself moves to the thread
    ),
    Trap(
        "iterator_kept",
        "import os\n\n\nasync def first(p):\n    it = os.scandir(p)\n    name = next(it).name\n    it.close()\n    return name\n",
        "open(os.path.join(d, 'a'), 'w').close()\nassert asyncio.run(m.first(d)) == 'a'",
        "is used later (stored, returned or passed on)",
    ),
    Trap(
        "shadow_param",
        "import time\n\n\nasync def wait(asyncio):\n    time.sleep(0.01)\n    return asyncio\n",
        "assert asyncio.run(m.wait('x')) == 'x'",
        None,  # fixed with `import asyncio as _asyncio`
    ),
    Trap(
        "shadow_local",
        "import time\n\n\nasync def wait():\n    asyncio = 5\n    time.sleep(0.01)\n    return asyncio\n",
        "assert asyncio.run(m.wait()) == 5",
        None,
    ),
    Trap(
        "shadow_global",
        "import os\n\nasyncio = 'not the module'\n\n\nasync def exists(p):\n    return os.path.exists(p)\n",
        "assert asyncio.run(m.exists(d)) is True",
        None,
    ),
    Trap(
        "lock_held",
        "import threading\nimport time\n\n\nclass Cache:\n    def __init__(self):\n        self._lock = threading.Lock()\n\n"
        "    async def refresh(self):\n        with self._lock:\n            time.sleep(0.01)\n            return 1\n",
        "c = m.Cache()\nasync def both():\n    return await asyncio.wait_for(asyncio.gather(c.refresh(), c.refresh()), 5)\n"
        "assert asyncio.run(both()) == [1, 1]",
        "a threading lock (`self._lock`) is held here",
    ),
    Trap(
        "thread_local",
        "import threading\nfrom pathlib import Path\n\n_state = threading.local()\n\n\n"
        "def load(p):\n    _state.value = Path(p).read_text()\n    return _state.value\n\n\n"
        "async def run(p):\n    load(p)\n    return _state.value\n",
        "open(os.path.join(d, 'f'), 'w').write('hi')\nassert asyncio.run(m.run(os.path.join(d, 'f'))) == 'hi'",
        "`load` uses the thread-local `_state`",
    ),
    Trap(
        "thread_local_attribute",
        "import threading\nfrom pathlib import Path\n\n\nclass Store:\n    def __init__(self):\n"
        "        self._local = threading.local()\n\n    def load(self, p):\n"
        "        self._local.text = Path(p).read_text()\n\n    async def run(self, p):\n"
        "        self.load(p)\n        return self._local.text\n",
        "open(os.path.join(d, 'f'), 'w').write('hi')\nassert asyncio.run(m.Store().run(os.path.join(d, 'f'))) == 'hi'",
        "`Store.load` uses the thread-local `self._local`",
    ),
    Trap(
        "context_var",
        "import contextvars\nfrom pathlib import Path\n\ncurrent = contextvars.ContextVar('current', default=None)\n\n\n"
        "def load(p):\n    current.set(Path(p).read_text())\n\n\nasync def run(p):\n    load(p)\n    return current.get()\n",
        "open(os.path.join(d, 'f'), 'w').write('hi')\nassert asyncio.run(m.run(os.path.join(d, 'f'))) == 'hi'",
        "`load` sets the context variable `current`",
    ),
    Trap(
        "signal_handler",
        "import signal\nfrom pathlib import Path\n\n\ndef install(p):\n    Path(p).read_text()\n"
        "    signal.signal(signal.SIGUSR1, signal.SIG_IGN)\n\n\nasync def run(p):\n    install(p)\n    return True\n",
        "open(os.path.join(d, 'f'), 'w').write('hi')\nassert asyncio.run(m.run(os.path.join(d, 'f'))) is True",
        "`install` calls signal.signal() (only the main thread may install signal handlers)",
    ),
    Trap(
        "main_thread",
        "import threading\nfrom pathlib import Path\n\n\ndef helper(p):\n    return Path(p).exists()\n\n\n"
        "def setup(p):\n    helper(p)\n    if threading.current_thread() is not threading.main_thread():\n"
        "        raise RuntimeError('main thread only')\n    return True\n\n\nasync def run(p):\n    return setup(p)\n",
        "assert asyncio.run(m.run(d)) is True",
        "`setup` calls threading.",
    ),
    Trap(
        "thread_bound_deep",
        "import threading\nfrom pathlib import Path\n\n_local = threading.local()\n\n\ndef remember(v):\n"
        "    _local.v = v\n\n\ndef load(p):\n    text = Path(p).read_text()\n    remember(text)\n    return text\n\n\n"
        "async def run(p):\n    load(p)\n    return _local.v\n",
        "open(os.path.join(d, 'f'), 'w').write('hi')\nassert asyncio.run(m.run(os.path.join(d, 'f'))) == 'hi'",
        "`load` reaches `remember`, which uses the thread-local `_local`",
    ),
    Trap(
        "loop_callback",
        "import asyncio\nimport json\n\n\ndef _default(obj):\n    asyncio.get_running_loop()\n    return str(obj)\n\n\n"
        "async def save(path, data):\n    f = open(path, 'w')\n    try:\n        json.dump(data, f, default=_default)\n"
        "    finally:\n        f.close()\n",
        "p = os.path.join(d, 'o.json')\nasyncio.run(m.save(p, {'x': object()}))\nassert 'object' in open(p).read()",
        "`_default`, passed to json.dump(), calls asyncio.get_running_loop()",
    ),
]


@pytest.fixture(scope="module")
def fixed_traps(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    root = tmp_path_factory.mktemp("traps")
    write(root / "pyproject.toml", "[tool.asyncify]\ncache = false\n")
    for trap in TRAPS:
        write(root / f"{trap.name}.py", trap.source)
        assert behaves(root, trap), f"{trap.name}: the behaviour test must pass before fix"
    return root, run_cli(root, "fix", "-v", ".")


def behaves(root: Path, trap: Trap) -> bool:
    script = f"import asyncio, os, tempfile\nimport {trap.name} as m\nd = tempfile.mkdtemp()\n{trap.behaviour}\n"
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=60)
    return done.returncode == 0


@pytest.mark.parametrize("trap", TRAPS, ids=[t.name for t in TRAPS])
def test_trap_keeps_its_behaviour_after_fix(
    fixed_traps: tuple[Path, subprocess.CompletedProcess[str]], trap: Trap
) -> None:
    root, result = fixed_traps
    assert "Traceback" not in result.stderr, result.stderr
    assert behaves(root, trap), f"{trap.name} behaves differently after fix:\n{(root / f'{trap.name}.py').read_text()}"
    lines = [line for line in result.stderr.splitlines() if f"{trap.name}.py:" in line]
    if trap.refused is not None:
        assert any(trap.refused in line for line in lines), "\n".join(lines) or result.stderr
    else:
        assert not lines, f"{trap.name} should have been fixed: {lines}"
        assert (root / f"{trap.name}.py").read_text(encoding="utf-8") != trap.source


def test_aliased_asyncio_import_is_reused_by_a_second_fix(project: Path) -> None:
    module = write(
        project / "m.py", "import time\n\n\nasync def wait(asyncio):\n    time.sleep(0.01)\n    return asyncio\n"
    )
    assert run_cli(project, "fix", ".").returncode == 0
    first = module.read_text(encoding="utf-8")
    assert "import asyncio as _asyncio\n" in first and "await _asyncio.sleep(0.01)" in first
    module.write_text(first + "\n\nasync def more(asyncio):\n    time.sleep(0.02)\n", encoding="utf-8")
    assert run_cli(project, "fix", ".").returncode == 0
    second = module.read_text(encoding="utf-8")
    assert second.count("import asyncio") == 1 and "await _asyncio.sleep(0.02)" in second


@pytest.mark.parametrize("name", ["thread_local", "context_var", "signal_handler", "thread_bound_deep"])
def test_thread_bound_helpers_are_fixed_by_propagate(tmp_path: Path, name: str) -> None:
    """The refusal's suggestion works: ``propagate`` keeps the helper on the loop's thread."""
    trap = next(t for t in TRAPS if t.name == name)
    write(tmp_path / "pyproject.toml", "[tool.asyncify]\ncache = false\n")
    write(tmp_path / f"{name}.py", trap.source)
    result = run_cli(tmp_path, "fix", "--strategy", "propagate", ".")
    assert result.returncode == 0, result.stderr
    assert "async def" in (tmp_path / f"{name}.py").read_text(encoding="utf-8").split("async def run")[0]
    assert behaves(tmp_path, trap)


@pytest.mark.parametrize("strategy", ["wrap", "twin", "propagate"])
def test_no_strategy_awaits_while_a_thread_lock_is_held(tmp_path: Path, strategy: str) -> None:
    source = (
        "import threading\nfrom pathlib import Path\n\n_lock = threading.Lock()\n\n\n"
        "def load(p):\n    return Path(p).read_text()\n\n\nasync def run(p):\n    with _lock:\n        return load(p)\n"
    )
    module = write(tmp_path / "m.py", source)
    write(tmp_path / "pyproject.toml", "[tool.asyncify]\ncache = false\n")
    result = run_cli(tmp_path, "fix", "-v", "--strategy", strategy, ".")
    assert result.returncode == 1, result.stderr
    assert "a threading lock (`_lock`) is held here" in result.stderr
    assert "a threading lock is held around it" in result.stderr
    assert module.read_text(encoding="utf-8") == source
