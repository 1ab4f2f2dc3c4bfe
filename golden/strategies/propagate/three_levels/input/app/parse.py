from pathlib import Path

from app.files import read_lines


def parse_entries(path: Path) -> list[list[str]]:
    """Level 2."""
    return [line.split(":", 1) for line in read_lines(path) if ":" in line]


def count_entries(path: Path) -> int:
    return len(parse_entries(path))
