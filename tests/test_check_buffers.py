"""``run_check(report_only=..., sources=...)``: what an editor asks for, the whole project
behind one file, with unsaved text in place of the file on disk."""

from __future__ import annotations

from pathlib import Path

from asyncify.api import config_for, run_check


def _project(root: Path) -> Path:
    (root / "pkg").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[tool.asyncify]\n")
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "app.py").write_text("from pkg.helpers import load\n\n\nasync def main() -> None:\n    load()\n")
    (root / "pkg" / "helpers.py").write_text("import time\n\n\ndef load() -> None:\n    time.sleep(1)\n")
    (root / "pkg" / "other.py").write_text("import time\n\n\nasync def tick() -> None:\n    time.sleep(1)\n")
    return root


def test_report_only_reports_one_file_analysed_with_the_whole_project(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    app = root / "pkg" / "app.py"
    result = run_check([root], config_for([root]), report_only=[app])
    assert [(Path(f.path).name, f.code, f.chain_text()) for f in result.findings] == [
        ("app.py", "AFY200", "main -> load -> time.sleep()")
    ]
    assert len(run_check([root], config_for([root])).findings) == 2


def test_sources_replace_the_disk_and_are_never_cached(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    helpers = root / "pkg" / "helpers.py"
    config = config_for([root])
    run_check([root], config)  # the cache now holds every file
    edited = {helpers: "def load() -> None:\n    pass\n"}
    assert run_check([root], config, report_only=[root / "pkg" / "app.py"], sources=edited).findings == []
    broken = run_check([root], config, report_only=[helpers], sources={helpers: "def load(:\n"})
    assert [e.message.split(":")[0] for e in broken.errors] == ["syntax error"]
    assert [Path(f.path).name for f in run_check([root], config).findings] == ["app.py", "other.py"]
    assert helpers.read_text().startswith("import time")
