from pathlib import Path

from app.settings import load_settings


def show(path: Path) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(load_settings(path).items()))
