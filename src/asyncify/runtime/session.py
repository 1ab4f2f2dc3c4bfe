"""The enabled plugin: detectors on for the whole run, the report written at the end.

Loaded by ``asyncify.runtime.plugin`` only when run-time recording is asked for. The
detectors start before the project's ``conftest.py`` files are imported (so that a
module doing ``from time import sleep`` gets the recording wrapper) and stop when the
session finishes:

- the recorder (blockbuster) for blocking calls on any thread running an asyncio loop:
  ``asyncio.run`` in a sync test, pytest-asyncio, anyio's pytest plugin alike;
- the stall watch (asyncio debug mode) for slow task steps, unless ``--asyncify-runtime-slow=0``;
- the line tracer for which async lines ran.

The project's root is the folder of the nearest ``[tool.asyncify]`` configuration
(else pytest's rootdir); report paths are relative to it. Each event is attributed to
the test running it (``pytest_runtest_logstart``). Under pytest-xdist every worker
records its own tests and hands its report to the controller (``workeroutput``), which
combines them and writes the one file.
"""

from __future__ import annotations

import platform
import sys
from pathlib import Path
from typing import Any

import pytest

from asyncify import __version__
from asyncify.runtime.combine import combine_reports
from asyncify.runtime.document import RuntimeReport, report_from_dict, report_to_dict, write_report
from asyncify.runtime.lines import LineTracer
from asyncify.runtime.mapping import Mapper, RunFacts
from asyncify.runtime.places import Places
from asyncify.runtime.recorder import Recorder
from asyncify.runtime.stalls import StallWatch

INSTALL_HINT = (
    "asyncify's run-time recording needs blockbuster, which is not installed: pip install 'asyncify-lint[runtime]'"
)
WORKER_KEY = "asyncify_runtime"
PLUGIN_NAME = "asyncify-runtime-session"


def start(config: pytest.Config, target: Path, slow: float) -> None:
    """Register the session plugin and switch the detectors on."""
    try:
        import blockbuster  # noqa: F401  (only to say what to install)
    except ImportError:
        raise pytest.UsageError(INSTALL_HINT) from None
    session = RuntimeSession(config, target, slow)
    config.pluginmanager.register(session, PLUGIN_NAME)
    session.start()


class RuntimeSession:
    """The pytest plugin object of an enabled run."""

    def __init__(self, config: pytest.Config, target: Path, slow: float) -> None:
        self.target = target
        self.root = project_root(config)
        patterns = config.getini("python_files") or ["test_*.py", "*_test.py"]
        self.places = Places(self.root, [str(p) for p in patterns])
        self.recorder = Recorder()
        self.tracer = LineTracer(self.places)
        self.stalls = StallWatch(slow, lambda: self.recorder.test) if slow > 0 else None
        self.slow = slow if slow > 0 else None
        self.tests = 0
        self.worker_reports: list[RuntimeReport] = []
        self.written: RuntimeReport | None = None
        self.problem: str | None = None
        self.running = False

    def start(self) -> None:
        self.recorder.start()
        self.tracer.start()
        if self.stalls is not None:
            self.stalls.start()
        self.running = True

    def stop(self) -> None:
        if not self.running:
            return
        self.running = False
        if self.stalls is not None:
            self.stalls.stop()
        self.tracer.stop()
        self.recorder.stop()

    # -- hooks --------------------------------------------------------------------------------------

    def pytest_report_header(self) -> str:
        slow = f"slow steps over {self.slow:g} s" if self.slow else "slow steps off"
        return f"asyncify: recording blocking calls to {self.target} ({self.recorder.detector()}, {slow})"

    def pytest_runtest_logstart(self, nodeid: str) -> None:
        self.recorder.test = nodeid

    def pytest_runtest_logfinish(self, nodeid: str) -> None:
        self.tests += 1
        self.recorder.test = None

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        """pytest-xdist: a worker finished; keep its report."""
        data = getattr(node, "workeroutput", {}).get(WORKER_KEY)
        if data is not None:
            self.worker_reports.append(report_from_dict(data))

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.stop()
        report = self._build(tests=self.tests)
        if hasattr(session.config, "workerinput"):  # set by xdist after the config is made
            session.config.workeroutput[WORKER_KEY] = report_to_dict(report)  # type: ignore[attr-defined]
            return
        if self.worker_reports:  # the controller ran no tests itself: count the workers'
            report = combine_reports([self._build(tests=0), *self.worker_reports]) or report
        try:
            write_report(report, self.target)
        except OSError as error:
            self.problem = f"asyncify: could not write {self.target}: {error.strerror or error}"
            return
        self.written = report

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.problem is not None:
            terminalreporter.write_line(self.problem, red=True)
        report = self.written
        if report is None:
            return
        blocking = sum(site.count for site in report.call_sites)
        elsewhere = sum(entry.count for entry in report.unmapped)
        parts = [
            f"{_count(len(report.call_sites), 'call site')} in project async code "
            f"({_count(blocking, 'blocking call')})",
            _count(len(report.slow_steps), "slow step"),
        ]
        if elsewhere:
            parts.append(f"{_count(elsewhere, 'blocking call')} outside project async code (tests, libraries)")
        terminalreporter.write_line(
            f"asyncify: wrote {self.target}: {', '.join(parts)}; {_count(report.tests, 'test')}"
        )

    def pytest_unconfigure(self) -> None:
        self.stop()

    # -- the report ------------------------------------------------------------------------------------

    def _build(self, *, tests: int) -> RuntimeReport:
        facts = RunFacts(
            root=self.root,
            tests=tests,
            asyncify=__version__,
            python=f"{platform.python_implementation()} {sys.version.split()[0]}",
            detector=self.recorder.detector(),
            slow_callback_duration=self.slow,
            lines_traced=self.tracer.complete,
        )
        steps = self.stalls.steps.values() if self.stalls is not None else ()
        return Mapper(self.places).build(self.recorder.events.values(), steps, self.tracer.lines, facts)


def project_root(config: pytest.Config) -> Path:
    """The folder of the nearest ``[tool.asyncify]`` configuration above where pytest was
    started (what ``asyncify check`` would use), else pytest's rootdir."""
    from asyncify.config import ConfigError, find_pyproject

    try:
        found = find_pyproject(config.invocation_params.dir)
    except ConfigError as error:
        raise pytest.UsageError(str(error)) from None
    return found.parent if found is not None else config.rootpath


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
