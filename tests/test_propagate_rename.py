"""``--strategy propagate`` renames the ``*_sync`` functions it makes async (``structural.renames``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from asyncify.config import Config, ConfigError, read_config_file
from asyncify.fixer import run_fix

SERVICE = """from pathlib import Path

from app.io import read_sync


async def serve(path: Path) -> str:
    return read_sync(path)
"""


def project(tmp_path: Path, io: str) -> Path:
    package = tmp_path / "app"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "io.py").write_text(io)
    (package / "service.py").write_text(SERVICE)
    return package


def fixed(package: Path, monkeypatch: pytest.MonkeyPatch, **options: object) -> dict[str, str]:
    monkeypatch.chdir(package.parent)
    config = Config(cache=False, rule_strategy={"AFY200": "propagate"}, **options)  # type: ignore[arg-type]
    result = run_fix([Path("app")], config, jobs=1)
    return {f.display: f.text for f in result.files}


IO = "from pathlib import Path\n\n\ndef read_sync(path: Path) -> str:\n    return path.read_text()\n"


def test_no_suffix_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = fixed(project(tmp_path, IO), monkeypatch, propagate_name="{name}")
    assert "async def read(path: Path) -> str:" in texts["app/io.py"]
    assert "from app.io import read\n" in texts["app/service.py"]
    assert "return await read(path)" in texts["app/service.py"]


def test_a_taken_name_keeps_the_old_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    io = IO + "\n\ndef read_async(path: Path) -> None:\n    pass\n"
    texts = fixed(project(tmp_path, io), monkeypatch)
    assert "async def read_sync(path: Path) -> str:" in texts["app/io.py"]
    assert "return await read_sync(path)" in texts["app/service.py"]


def test_a_name_without_the_suffix_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    io = IO.replace("read_sync", "read_file")
    (tmp_path / "app").mkdir()
    package = tmp_path / "app"
    (package / "__init__.py").write_text("")
    (package / "io.py").write_text(io)
    (package / "service.py").write_text(SERVICE.replace("read_sync", "read_file"))
    texts = fixed(package, monkeypatch)
    assert "async def read_file(path: Path) -> str:" in texts["app/io.py"]


def test_configuration_key(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.asyncify]\npropagate-name = "{name}"\n')
    assert read_config_file(tmp_path / "pyproject.toml").propagate_name == "{name}"
    (tmp_path / "pyproject.toml").write_text('[tool.asyncify]\npropagate-name = "async"\n')
    with pytest.raises(ConfigError, match="propagate-name"):
        read_config_file(tmp_path / "pyproject.toml")
