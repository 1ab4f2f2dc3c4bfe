"""A document's project, and the server's two calls into the library.

Every check covers the whole project (the call graph behind a finding may run through
files that are not open), with the open buffers in place of their files on disk, and
reports only the open documents. The scan cache makes that cheap: unchanged files are
read back from ``.asyncify_cache``, and only the buffers are parsed again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from asyncify.api import config_for, run_check
from asyncify.config import Config
from asyncify.findings import Finding
from asyncify.fixer import FixResult, FixTarget, run_fix
from asyncify.results import CheckResult
from asyncify.vocabulary import Strategy


@dataclass(frozen=True, slots=True)
class Project:
    """Where a document's analysis starts, and the configuration it runs with."""

    root: Path
    config: Config


def project_for(path: Path) -> Project:
    """The project of the file at ``path`` (absolute): its project root
    (``asyncify.project``: the nearest directory with a root marker, else the file's
    directory), which bounds the configuration search too. Raises ``ConfigError`` for
    bad configuration."""
    config = config_for([path])
    return Project(config.project_root or path.parent, config)


def check_buffers(project: Project, buffers: Mapping[Path, str]) -> CheckResult:
    """Findings and errors of the open ``buffers`` (path -> text), against the whole project."""
    return run_check([project.root], project.config, report_only=list(buffers), sources=buffers)


def fix_finding(project: Project, buffers: Mapping[Path, str], finding: Finding, strategy: Strategy) -> FixResult:
    """``finding`` fixed with ``strategy`` (and what that fix itself needs), in memory."""
    return run_fix([project.root], project.config, sources=buffers, target=FixTarget(finding, strategy))
