from pathlib import Path


def load_profile_sync(path: Path) -> str:
    return path.read_text(encoding="utf-8")


class Store:
    def fetch(self, path: Path) -> bytes:
        return path.read_bytes()
