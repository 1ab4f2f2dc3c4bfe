"""``fix --update-mocks`` from the command line, and the test files it must leave alone."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from asyncify.cli import app
from asyncify.codemods.async_mocks import update_mocks
from asyncify.codemods.changed_callees import ChangedCallee

SEED = Path(__file__).resolve().parent.parent / "golden" / "mocks" / "twin" / "seed"
runner = CliRunner()


@pytest.fixture
def seed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    project = tmp_path / "seed"
    shutil.copytree(SEED / "input", project, ignore=shutil.ignore_patterns("__pycache__", ".*cache*"))
    (project / "pyproject.toml").write_text(
        (project / "pyproject.toml").read_text() + "\n[tool.asyncify]\ncache = false\n"
    )
    monkeypatch.chdir(project)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return project


def test_diff_shows_the_test_rewrite_and_writes_nothing(seed: Path) -> None:
    before = (seed / "tests" / "test_service.py").read_text()
    done = runner.invoke(app, ["fix", "--strategy", "twin", "--update-mocks", "--diff", "app"])
    assert done.exit_code == 1, done.output
    assert "+++ b/tests/test_service.py" in done.stdout
    assert "+    loader_cls.return_value.get_slice_scripts_async = AsyncMock(" in done.stdout
    assert "updated to an AsyncMock of get_slice_scripts_async" in done.stderr
    assert (seed / "tests" / "test_service.py").read_text() == before


def test_dry_run_says_what_changed_a_file_without_changes_of_its_own(seed: Path) -> None:
    done = runner.invoke(app, ["fix", "--strategy", "twin", "--update-mocks", "--dry-run", "app"])
    assert done.exit_code == 1, done.output
    lines = done.stdout.splitlines()
    assert "tests/test_service.py  --update-mocks" in lines
    assert "app/service.py  --strategy twin" in lines
    assert "  ▸ --update-mocks: mocks of the changed functions made AsyncMocks" in lines
    assert "0 changes" not in done.stdout


def test_write_then_nothing_left(seed: Path) -> None:
    done = runner.invoke(app, ["fix", "--strategy", "twin", "--update-mocks", "app"])
    assert done.exit_code == 0, done.output
    expected = (SEED / "expected" / "tests" / "test_service.py").read_text()
    assert (seed / "tests" / "test_service.py").read_text() == expected
    again = runner.invoke(app, ["fix", "--strategy", "twin", "--update-mocks", "--diff", "app"])
    assert again.exit_code == 0 and again.stdout == "", again.output


def test_without_the_option_tests_are_only_listed(seed: Path) -> None:
    before = (seed / "tests" / "test_service.py").read_text()
    done = runner.invoke(app, ["fix", "--strategy", "twin", "app"])
    assert done.exit_code == 0, done.output
    assert "patches app.service.EvalSetLoader" in done.stderr
    assert (seed / "tests" / "test_service.py").read_text() == before


def snapshot(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*.py"))}


def test_interactive_yes_to_everything_writes_what_plain_fix_writes(seed: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(seed, plain)
    done = runner.invoke(app, ["fix", "-i", "--strategy", "twin", "--update-mocks", "app"], input="y\n" * 50)
    assert done.exit_code == 0, done.output
    assert "(mocks 1/1) mocks: tests/test_service.py" in done.stdout
    assert "+    loader_cls.return_value.get_slice_scripts_async = AsyncMock(" in done.stdout
    interactive = snapshot(seed)
    with contextlib.chdir(plain):
        done = runner.invoke(app, ["fix", "--strategy", "twin", "--update-mocks", *NAMED])
    assert done.exit_code == 0, done.output
    assert interactive == snapshot(plain)
    assert interactive["tests/test_service.py"] != snapshot(SEED / "input")["tests/test_service.py"]


def test_interactive_rejected_mocks_leave_the_test_file_and_say_so(seed: Path) -> None:
    before = snapshot(seed)
    # the component, then the mocks (n), then every change
    done = runner.invoke(app, ["fix", "-i", "--strategy", "twin", "--update-mocks", "app"], input="y\nn\n" + "y\n" * 50)
    assert done.exit_code == 0, done.output
    after = snapshot(seed)
    assert after["tests/test_service.py"] == before["tests/test_service.py"]
    assert after["app/service.py"] != before["app/service.py"]
    assert "left alone, its update was not accepted in -i" in done.stderr


def test_interactive_mocks_in_a_test_file_the_passes_also_fix(seed: Path, tmp_path: Path) -> None:
    """The whole project is fixed (its tests scanned): the test file's own blocking call
    is planned against the updated mocks, so ``y`` to all equals plain fix, and ``n`` to
    the mocks still fixes the call."""
    test_file = seed / "tests" / "test_service.py"
    test_file.write_text(
        "import time\n"
        + test_file.read_text()
        + "\n\nasync def test_waits() -> None:\n    time.sleep(0)\n"
    )
    plain = tmp_path / "plain"
    shutil.copytree(seed, plain)
    with contextlib.chdir(plain):
        done = runner.invoke(app, ["fix", "--strategy", "twin", "--update-mocks", "."])
    assert done.exit_code == 0, done.output
    expected = snapshot(plain)["tests/test_service.py"]
    assert "await asyncio.sleep(0)" in expected and "get_slice_scripts_async = AsyncMock(" in expected
    rejected = tmp_path / "rejected"
    shutil.copytree(seed, rejected)
    done = runner.invoke(app, ["fix", "-i", "--strategy", "twin", "--update-mocks", "."], input="y\n" * 50)
    assert done.exit_code == 0, done.output
    assert snapshot(seed) == snapshot(plain)
    with contextlib.chdir(rejected):
        answers = "y\nn\n" + "y\n" * 50  # the component, then the mocks (n), then every change
        done = runner.invoke(app, ["fix", "-i", "--strategy", "twin", "--update-mocks", "."], input=answers)
    assert done.exit_code == 0, done.output
    kept = (rejected / "tests" / "test_service.py").read_text()
    assert "await asyncio.sleep(0)" in kept and "AsyncMock" not in kept
    assert "loader_cls.return_value.get_slice_scripts.return_value" in kept


NAMED = ["app/__init__.py", "app/loader.py", "app/service.py"]


def test_named_files_with_update_mocks_leave_other_tests_alone(seed: Path, tmp_path: Path) -> None:
    """``fix FILE...`` analyses the whole project, tests included: a test that names the
    class without patching it, and a test file whose update is rejected in ``-i``, are
    neither changed nor taken for files the fix changes beyond those named."""
    other = seed / "tests" / "test_other.py"
    other.write_text("# EvalSetLoader is not patched here\n\n\ndef test_nothing() -> None:\n    assert True\n")
    before = snapshot(seed)
    plain = tmp_path / "plain"
    shutil.copytree(seed, plain)
    answers = "y\nn\n" + "y\n" * 50  # the component, then the mocks (n), then every change
    done = runner.invoke(app, ["fix", "-i", "--strategy", "twin", "--update-mocks", *NAMED], input=answers)
    assert done.exit_code == 0, done.output
    assert "not named" not in done.output
    after = snapshot(seed)
    assert after["tests/test_other.py"] == before["tests/test_other.py"]
    assert after["tests/test_service.py"] == before["tests/test_service.py"]
    assert after["app/service.py"] != before["app/service.py"]
    with contextlib.chdir(plain):
        done = runner.invoke(app, ["fix", "--strategy", "twin", "--update-mocks", *NAMED])
    assert done.exit_code == 0, done.output
    assert snapshot(plain)["tests/test_other.py"] == before["tests/test_other.py"]
    assert snapshot(plain)["tests/test_service.py"] != before["tests/test_service.py"]


def test_unparsable_test_file_is_left_alone(seed: Path) -> None:
    (seed / "tests" / "test_broken.py").write_text("def (EvalSetLoader:\n")
    done = runner.invoke(app, ["fix", "--strategy", "twin", "--update-mocks", "app"])
    assert done.exit_code == 0, done.output
    assert (seed / "tests" / "test_broken.py").read_text() == "def (EvalSetLoader:\n"


CALLEE = ChangedCallee("app.files", "read_sync", "read_async")


def test_codemod_is_idempotent_and_leaves_other_patches() -> None:
    source = (
        "from unittest.mock import patch\n\n\n"
        "async def test_x():\n"
        "    with patch('app.files.read_sync', return_value='x'), patch('app.files.other', return_value=1):\n"
        "        pass\n"
    )
    first = update_mocks(source, [CALLEE], line_length=200)
    assert first.text == (
        "from unittest.mock import AsyncMock, patch\n\n\n"
        "async def test_x():\n"
        "    with patch('app.files.read_async', new_callable=AsyncMock, return_value='x'),"
        " patch('app.files.other', return_value=1):\n"
        "        pass\n"
    )
    assert [(u.test, u.target, u.reason) for u in first.updates] == [("test_x", "app.files.read_sync", None)]
    renamed = ChangedCallee("app.files", "read_async", "read_async")
    second = update_mocks(first.text, [renamed], line_length=200)
    assert second.text == first.text
    assert [u.changed for u in second.updates] == [False]


def test_sync_test_of_a_twin_keeps_its_mock() -> None:
    source = "from unittest.mock import patch\n\n\n@patch('app.files.read_sync')\ndef test_x(stub):\n    pass\n"
    twin = ChangedCallee("app.files", "read_sync", "read_async", twin=True)
    result = update_mocks(source, [twin])
    assert result.text == source
    assert result.updates[0].reason is not None and result.updates[0].reason.startswith("a sync test")
    run = source.replace("    pass\n", "    asyncio.run(main())\n")
    assert "read_async" in update_mocks(run, [twin]).text
