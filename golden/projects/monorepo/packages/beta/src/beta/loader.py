from pathlib import Path

from alpha import read_settings


def load_all(roots: list[Path]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for root in roots:
        merged.update(read_settings(root / "settings.ini"))
    return merged
