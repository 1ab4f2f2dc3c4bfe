"""The hook definition in ``.pre-commit-hooks.yaml``, run by pre-commit itself.

``pre-commit try-repo`` installs this repository (its working tree, committed or not) the
way a user's ``.pre-commit-config.yaml`` would, and runs the hook on the files named,
as pre-commit passes them. The helper that blocks lives in a file that is not passed:
the finding appears only because the hook analyses the whole project. One run (the
hook's environment is built from scratch: about half a minute).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_hook_reports_indirect_findings_of_the_files_passed(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "app").mkdir(parents=True)
    (project / "pyproject.toml").write_text('[project]\nname = "app"\n', encoding="utf-8")
    (project / "app" / "__init__.py").write_text("", encoding="utf-8")
    (project / "app" / "helpers.py").write_text(
        "import time\n\n\ndef helper() -> None:\n    time.sleep(1)\n", encoding="utf-8"
    )
    (project / "app" / "handler.py").write_text(
        "from app.helpers import helper\n\n\nasync def handler() -> None:\n    helper()\n", encoding="utf-8"
    )
    (project / "app" / "quiet.py").write_text("async def nothing() -> None:\n    return None\n", encoding="utf-8")
    git = ["git", "-c", "user.email=test@example.com", "-c", "user.name=test"]
    subprocess.run([*git, "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "-A"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-qm", "init"], cwd=project, check=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "asyncify", "--files"]
    run = subprocess.run(
        [*command, "app/handler.py", "app/quiet.py"], cwd=project, env=env, capture_output=True, text=True, check=False
    )
    output = run.stdout + run.stderr
    assert run.returncode == 1, output
    assert "app/handler.py:5:5 AFY200" in output, output
    assert "chain: handler -> helper -> time.sleep()" in output, output
    assert "app/helpers.py:" not in output, output  # not passed: analysed, not reported
    assert "checked 2 files" in output, output
