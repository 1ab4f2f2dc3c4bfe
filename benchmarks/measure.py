"""Run one command and measure it: wall time, peak memory, exit status, output.

Standard library only (no psutil), Linux-oriented.

Why not simply ``os.wait4`` / ``RUSAGE_CHILDREN``'s ``ru_maxrss``?  On Linux
the child is forked (or vforked) from this Python process, and ``exec``
carries the pre-exec high-water mark over into ``ru_maxrss``: running
``/bin/true`` from a Python holding 500 MB reports 500 MB.  So every tool
would report at least the benchmark driver's own size.  Instead:

* ``max_proc_mb`` -- peak RSS of the largest single process in the tree.
  Exact when GNU ``/usr/bin/time`` exists: it forks the tool from its own
  ~1 MB image and reports ``%M`` (``ru_maxrss`` of the tool and the workers
  it reaped).  Otherwise the largest ``VmHWM`` seen in ``/proc`` while
  sampling (a lower bound; ``rss_source`` says which was used).
* ``tree_mb`` -- the largest *sum* of ``VmRSS`` over every process in the
  tool's session at one sampling instant.  This is the figure that matters
  for multi-process tools like ``flake8 -j 2``; being sampled it is a lower
  bound, and meaningless for runs much shorter than the interval.

Sampling scans all of ``/proc`` (the kernel here has no
``/proc/PID/task/TID/children``), which costs a few percent of a core at
20 Hz.  The interval therefore starts at ``MIN_INTERVAL_S`` and grows with
elapsed time up to ``MAX_INTERVAL_S``: fine-grained for one-second runs,
nearly free for the ten-minute ones.

The tool runs in its own session so the sampler can find its whole tree and
a timeout can kill all of it (and nothing else).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
MIB = 1024 * 1024
GNU_TIME = "/usr/bin/time"
BOX_CHARS = " \t│╭╮╰╯─"  # Rich draws error panels with these
ERROR_HINT = re.compile(r"error|no such|not found|cannot|invalid", re.IGNORECASE)
MIN_INTERVAL_S = 0.02
MAX_INTERVAL_S = 0.5


def sample_interval(elapsed_s: float) -> float:
    """About 50 samples per run so far, clamped to [MIN, MAX] seconds."""
    return min(MAX_INTERVAL_S, max(MIN_INTERVAL_S, elapsed_s / 50))


@dataclass(frozen=True)
class Measurement:
    """The outcome of one run; ``returncode`` is None when it timed out."""

    argv: tuple[str, ...]
    wall_s: float
    cpu_s: float | None
    """User + system CPU of the tool and every child it reaped (GNU time); None without it."""
    max_proc_mb: float
    tree_mb: float
    rss_source: str
    returncode: int | None
    stdout: bytes
    stderr: bytes

    @property
    def timed_out(self) -> bool:
        """True when the run was killed by the timeout."""
        return self.returncode is None

    def first_stderr_line(self) -> str:
        """The stderr line that best says why a run failed, for a one-line status.

        Usually the first line, but a traceback's last line and a CLI's
        "Error: ..." line (Typer prints "Usage:" first) say more.
        """
        raw = self.stderr.decode("utf-8", "replace").splitlines()
        # Drop Rich panel borders ("╭─ Error ─╮"); keep the text inside the panel.
        lines = [line.strip(BOX_CHARS) for line in raw if not line.lstrip().startswith(("╭", "╰"))]
        lines = [line for line in lines if line]
        if not lines:
            return ""
        if lines[0].startswith("Traceback"):
            return lines[-1]
        return next((line for line in lines if ERROR_HINT.search(line)), lines[0])


@cache
def have_gnu_time() -> bool:
    """True if ``/usr/bin/time`` is GNU time (supports ``-f %M -o FILE``)."""
    if shutil.which(GNU_TIME) is None:
        return False
    probe = subprocess.run([GNU_TIME, "--version"], capture_output=True, text=True, check=False)
    return "GNU" in probe.stdout + probe.stderr


# --------------------------------------------------------------------------- /proc sampling


def _stat_fields(pid: str) -> tuple[int, int]:
    """Return (session id, rss pages) from ``/proc/PID/stat``.

    The command name (field 2) may hold spaces or parentheses, so fields are
    counted from the last ``)``: session is field 6, rss is field 24.
    """
    with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as handle:
        text = handle.read()
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[3]), int(fields[21])


def _hwm_bytes(pid: str) -> int:
    """``VmHWM`` (this process image's peak RSS) from ``/proc/PID/status``."""
    with open(f"/proc/{pid}/status", encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def sample_session(session: int, exclude: int | None) -> tuple[int, int]:
    """Return (sum of RSS, largest VmHWM) over live processes in ``session``."""
    total = largest = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit() or int(entry.name) == exclude:
            continue
        try:
            sid, rss_pages = _stat_fields(entry.name)
            if sid != session:
                continue
            total += rss_pages * PAGE_BYTES
            largest = max(largest, _hwm_bytes(entry.name))
        except (OSError, ValueError, IndexError):
            continue  # the process exited while we looked
    return total, largest


class _Sampler(threading.Thread):
    """Background thread: samples the tree's memory and enforces the timeout.

    The main thread sits in a blocking wait so that wall time is exact; this
    thread is the only one that polls.
    """

    def __init__(self, session: int, exclude: int | None, deadline: float | None) -> None:
        super().__init__(daemon=True)
        self.session = session
        self.exclude = exclude
        self.started = time.monotonic()
        self.deadline = deadline
        self.tree_peak = 0
        self.hwm_peak = 0
        self.killed = False
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            tree, hwm = sample_session(self.session, self.exclude)
            self.tree_peak = max(self.tree_peak, tree)
            self.hwm_peak = max(self.hwm_peak, hwm)
            if self.deadline is not None and time.monotonic() > self.deadline:
                self.killed = True
                kill_session(self.session)
                return
            self.done.wait(sample_interval(time.monotonic() - self.started))


def kill_session(session: int) -> None:
    """SIGKILL the process group we started (and nothing else)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(session, signal.SIGKILL)


# --------------------------------------------------------------------------- running


def _read_time_output(path: Path) -> tuple[int, float] | None:
    """(peak RSS in KiB, user + system CPU seconds) from GNU time's ``-o`` file
    (last line ``%M %U %S``; earlier lines note the exit status)."""
    try:
        fields = path.read_text().split()[-3:]
        return int(fields[0]), float(fields[1]) + float(fields[2])
    except (OSError, ValueError, IndexError):
        return None


def run_measured(
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout_s: float | None = None,
) -> Measurement:
    """Run ``argv`` to completion and measure it.

    Output goes to temporary files rather than pipes: a tool printing
    megabytes of JSON would otherwise block on a full pipe while we wait.
    """
    wrapped = have_gnu_time()
    with tempfile.TemporaryDirectory(prefix="bench-run-") as scratch:
        time_file = Path(scratch, "maxrss")
        command = [GNU_TIME, "-f", "%M %U %S", "-o", str(time_file), *argv] if wrapped else list(argv)
        with open(Path(scratch, "out"), "w+b") as out, open(Path(scratch, "err"), "w+b") as err:
            start = time.perf_counter()
            proc = subprocess.Popen(
                command, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                env=None if env is None else dict(env), cwd=cwd, start_new_session=True,
            )
            deadline = None if timeout_s is None else time.monotonic() + timeout_s
            sampler = _Sampler(proc.pid, proc.pid if wrapped else None, deadline)
            sampler.start()
            returncode = proc.wait()
            wall = time.perf_counter() - start
            sampler.done.set()
            sampler.join()
            kill_session(proc.pid)  # stragglers must not skew the next run
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read(), err.read()
        timed = _read_time_output(time_file) if wrapped else None
    time_kib = timed[0] if timed is not None else None
    return Measurement(
        argv=tuple(argv),
        wall_s=wall,
        cpu_s=timed[1] if timed is not None else None,
        max_proc_mb=(time_kib * 1024 if time_kib is not None else sampler.hwm_peak) / MIB,
        tree_mb=sampler.tree_peak / MIB,
        rss_source="GNU time %M" if time_kib is not None else "sampled VmHWM",
        returncode=None if sampler.killed else returncode,
        stdout=stdout,
        stderr=stderr,
    )
