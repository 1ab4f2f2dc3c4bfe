from pathlib import Path

__all__ = ["load_profile_sync", "profile_name_sync"]


def load_profile_sync(path: Path) -> str:
    """Named for what it was: a sync read. Propagation makes it async and renames it."""
    return path.read_text(encoding="utf-8")


def profile_name_sync(path: Path) -> str:
    return load_profile_sync(path).split(":", 1)[1].strip()
