"""Safety check for ``asyncify fix`` on a real corpus (used by ``bench.py --fix-check``).

A codemod that is fast but breaks code is worthless, and one that keeps
rewriting its own output is not converging.  So, on a throw-away copy of the
corpus, this checks two properties:

1. every file that parsed before the fix still parses after it;
2. a second ``fix`` run changes nothing (file hashes are identical).

It never raises because ``fix`` is missing or fails: the failure is recorded
in the report, as with the other benchmark rows.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ast_floor import iter_python_files, parses
from measure import Measurement, run_measured

CRASH_HINT = re.compile(r"^Traceback|No module named|No such command|^Error", re.MULTILINE)

Snapshot = dict[str, tuple[str, bool]]  # relative path -> (sha256, parses)


@dataclass
class FixReport:
    """Counts printed by ``bench.py`` and stored in its JSON output."""

    files: int = 0
    parsed_before: int = 0
    files_changed: int = 0
    files_added: int = 0
    files_removed: int = 0
    still_parsing: int = 0
    broken: list[str] = field(default_factory=list)
    second_run_changes: int = 0
    first_run: str = "not run"
    second_run: str = "not run"
    first_ran_cleanly: bool = False
    first_wall_s: float | None = None
    copy_dir: str | None = None

    @property
    def ok(self) -> bool:
        """Both safety properties hold (vacuously true if nothing changed)."""
        return not self.broken and self.second_run_changes == 0

    @property
    def verdict(self) -> str:
        """OK / FAILED, or INCONCLUSIVE when ``fix`` errored without touching anything."""
        if not self.ok:
            return "FAILED"
        if not self.first_ran_cleanly and self.files_changed == 0:
            return "INCONCLUSIVE (fix did not run cleanly and changed nothing)"
        return "OK"


def snapshot(root: Path) -> Snapshot:
    """Hash and parse-check every file, keyed by path relative to ``root``."""
    result: Snapshot = {}
    for path in iter_python_files(root):
        data = path.read_bytes()
        result[path.relative_to(root).as_posix()] = (hashlib.sha256(data).hexdigest(), parses(data, str(path)))
    return result


def changed_files(before: Snapshot, after: Snapshot) -> list[str]:
    """Files present in both snapshots whose contents differ."""
    return sorted(name for name in before.keys() & after.keys() if before[name][0] != after[name][0])


def ran_cleanly(run: Measurement) -> bool:
    """Exit 0 ("nothing left") or 1 ("findings left"), without signs of a crash.

    ``fix`` prints its summary on stderr and exits 1 when findings remain,
    but ``python -m`` also exits 1 for a missing module, so stderr decides.
    """
    stderr = run.stderr.decode("utf-8", "replace")
    return run.returncode in (0, 1) and not CRASH_HINT.search(stderr)


def describe(run: Measurement) -> str:
    """Status plus fix's own one-line summary (or the error), like the table's wording."""
    if run.timed_out:
        return "timeout"
    word = "ok" if ran_cleanly(run) else "failed"
    reason = run.first_stderr_line()
    return f"{word} (rc={run.returncode})" + (f": {reason}" if reason else "")


def run_fix_check(
    corpus: Path,
    fix_argv: Sequence[str],
    *,
    env: Mapping[str, str] | None,
    timeout_s: float | None,
    keep_copy: bool,
) -> FixReport:
    """Copy ``corpus``, run ``fix_argv + [copy]`` twice and compare snapshots.

    The copy is deleted afterwards unless ``keep_copy`` is set or a file was
    broken, in which case it is kept so the breakage can be inspected.
    """
    report = FixReport()
    workdir = Path(tempfile.mkdtemp(prefix="asyncify-fix-check-"))
    copy = workdir / corpus.name
    shutil.copytree(corpus, copy, ignore=shutil.ignore_patterns(".*"))
    try:
        _check(copy, fix_argv, env, timeout_s, report)
    finally:
        if keep_copy or report.broken:
            report.copy_dir = str(copy)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return report


def _check(
    copy: Path,
    fix_argv: Sequence[str],
    env: Mapping[str, str] | None,
    timeout_s: float | None,
    report: FixReport,
) -> None:
    """Fill ``report`` in place, so a partial result survives an exception."""
    before = snapshot(copy)
    report.files = len(before)
    report.parsed_before = sum(ok for _, ok in before.values())

    first = run_measured([*fix_argv, str(copy)], env=env, timeout_s=timeout_s)
    report.first_run, report.first_wall_s = describe(first), first.wall_s
    report.first_ran_cleanly = ran_cleanly(first)
    after = snapshot(copy)
    report.files_changed = len(changed_files(before, after))
    report.files_added = len(after.keys() - before.keys())
    report.files_removed = len(before.keys() - after.keys())
    was_ok = [name for name, (_, ok) in before.items() if ok and name in after]
    report.broken = sorted(name for name in was_ok if not after[name][1])
    report.still_parsing = len(was_ok) - len(report.broken)

    second = run_measured([*fix_argv, str(copy)], env=env, timeout_s=timeout_s)
    report.second_run = describe(second)
    report.second_run_changes = len(changed_files(after, snapshot(copy)))
