from pathlib import Path


def read_lines(path: Path) -> list[str]:
    """Level 3: the blocking read."""
    return path.read_text(encoding="utf-8").splitlines()
