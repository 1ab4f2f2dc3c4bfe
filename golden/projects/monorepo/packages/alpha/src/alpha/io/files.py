from pathlib import Path

from ..formats import parse_settings


def _raw(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _lines(path: Path) -> list[str]:
    return _raw(path).splitlines()


def read_settings(path: Path) -> dict[str, str]:
    return parse_settings(_lines(path))


def settings_path(root: Path) -> Path:
    return root / "settings.ini"
