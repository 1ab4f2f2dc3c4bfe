"""asyncify passes its own check: `asyncify check src/` reports nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_asyncify_checks_its_own_source_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "asyncify", "check", "src/", "codemods/", "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout + result.stderr
