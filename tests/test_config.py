"""Every documented ``[tool.asyncify]`` option, end to end: a real pyproject.toml, found
by walking up from the checked path, through ``run_check`` / ``run_fix``."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from asyncify.api import config_for, run_check
from asyncify.config import Config, ConfigError
from asyncify.fixer import run_fix

MODULE = """\
import time
from pathlib import Path


def helper(p: Path) -> str:
    return p.read_text()


async def main(p: Path) -> None:
    time.sleep(1)
    helper(p)
    p.exists()
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "main.py").write_text(MODULE)
    monkeypatch.chdir(tmp_path)
    yield tmp_path


def configure(project: Path, table: str) -> Config:
    (project / "pyproject.toml").write_text("[tool.asyncify]\n" + textwrap.dedent(table))
    return config_for([project / "app"]).with_overrides(cache=False)


def codes(config: Config, project: Path) -> list[str]:
    return [f.code for f in run_check([project / "app"], config, jobs=1).findings]


def test_defaults_without_a_table(project: Path) -> None:
    config = config_for([project / "app"])
    assert config.source is None
    assert codes(config.with_overrides(cache=False), project) == ["AFY110", "AFY200", "AFY102"]


def test_config_is_found_walking_up_from_a_nested_path(project: Path) -> None:
    configure(project, 'select = ["AFY110"]\n')
    assert config_for([project / "app" / "main.py"]).select == ("AFY110",)


def test_select_and_ignore_take_prefixes(project: Path) -> None:
    assert codes(configure(project, 'select = ["AFY1"]\n'), project) == ["AFY110", "AFY102"]
    assert codes(configure(project, 'ignore = ["AFY2", "AFY102"]\n'), project) == ["AFY110"]


def test_exclude_replaces_and_extend_exclude_adds(project: Path) -> None:
    (project / "app" / "skipped.py").write_text("import time\nasync def f():\n    time.sleep(1)\n")
    result = run_check([project / "app"], configure(project, 'extend-exclude = ["skipped.py"]\n'), jobs=1)
    assert result.files == 2
    result = run_check([project / "app"], configure(project, 'exclude = ["main.py"]\n'), jobs=1)
    assert [f.path for f in result.findings] == ["app/skipped.py"]


def test_respect_gitignore(project: Path) -> None:
    (project / ".git").mkdir()
    (project / ".gitignore").write_text("app/main.py\n")
    assert run_check([project], configure(project, "respect-gitignore = true\n"), jobs=1).files == 1
    assert run_check([project], configure(project, "respect-gitignore = false\n"), jobs=1).files == 2


def test_extra_blocking_calls(project: Path) -> None:
    (project / "app" / "client.py").write_text(
        "import mylib\n\nasync def get():\n    return mylib.fetch_sync('x')\n"
    )
    config = configure(project, 'extra-blocking-calls = [{name = "mylib.fetch_sync", message = "slow"}]\n')
    found = [f for f in run_check([project / "app"], config, jobs=1).findings if f.path == "app/client.py"]
    assert [(f.code, f.message) for f in found] == [("AFY190", "slow")]


def test_strategy_table_and_unsafe_fixes(project: Path) -> None:
    config = configure(project, 'strategy = {AFY110 = "wrap"}\n')
    fixed = run_fix([project / "app"], config, jobs=1)
    assert "await asyncio.to_thread(time.sleep, 1)" in fixed.files[0].text
    config = configure(project, 'strategy = {AFY200 = "twin"}\n')
    fixed = run_fix([project / "app"], config, jobs=1)
    assert "async def helper_async(p: Path) -> str:" in fixed.files[0].text
    config = configure(project, "unsafe-fixes = true\n")
    assert config.unsafe_fixes


def test_backend_target_version_and_twin_name(project: Path) -> None:
    text = run_fix([project / "app"], configure(project, 'backend = "trio"\n'), jobs=1).files[0].text
    assert "await trio.sleep(1)" in text and "await trio.to_thread.run_sync(helper, p)" in text
    text = run_fix([project / "app"], configure(project, 'target-version = "py38"\n'), jobs=1).files[0].text
    assert "await asyncio.get_running_loop().run_in_executor(None, helper, p)" in text
    config = configure(project, 'twin-name = "{name}_nonblocking"\nstrategy = {AFY200 = "twin"}\n')
    assert "async def helper_nonblocking(" in run_fix([project / "app"], config, jobs=1).files[0].text


def test_cache_option_writes_a_cache_directory(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.asyncify]\ncache = true\n")
    run_check([project / "app"], config_for([project / "app"]), jobs=1)
    assert (project / ".asyncify_cache" / ".gitignore").read_text().endswith("*\n")
    (project / "pyproject.toml").write_text("[tool.asyncify]\ncache = false\n")
    os.rename(project / ".asyncify_cache", project / "old_cache")
    run_check([project / "app"], config_for([project / "app"]), jobs=1)
    assert not (project / ".asyncify_cache").exists()


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("selct = []\n", "unknown key 'selct' in [tool.asyncify] (did you mean 'select'?)"),
        ('backend = "gevent"\n', "backend must be one of"),
        ('select = "AFY1"\n', "select must be a list"),
        ('target-version = "2.7"\n', "target-version must be"),
        ('twin-name = "x"\n', "twin-name must be"),
        ('strategy = {AFY200 = "magic"}\n', "strategy must map rule codes"),
        ("extra-blocking-calls = [{nam = 'x'}]\n", "unknown key 'nam'"),
        ("cache = 1\n", "cache must be true or false"),
        ('runtime = ""\n', "runtime must be a path"),
        ("baseline = 3\n", "baseline must be a path"),
        ('output-format = "pretty"\n', "output-format must be one of human, full, concise, json, sarif, github"),
    ],
)
def test_bad_values_name_the_file_and_key(project: Path, table: str, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        configure(project, table)
    assert message in str(error.value)
    assert str(project / "pyproject.toml") in str(error.value)
