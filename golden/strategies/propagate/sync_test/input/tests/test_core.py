from pathlib import Path

from app.core import load


def test_load(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text(" x ", encoding="utf-8")
    assert load(path) == "x"
