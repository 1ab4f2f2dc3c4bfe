"""Records on disk, one JSON file each."""

import json
import os
from pathlib import Path


def read_record_sync(path: Path) -> dict[str, int]:
    # The innermost helper: the blocking read.
    return json.loads(path.read_text(encoding="utf-8"))


def load_records(folder: Path) -> list[dict[str, int]]:
    names = sorted(os.listdir(folder))
    return [read_record_sync(folder / name) for name in names if name.endswith(".json")]
