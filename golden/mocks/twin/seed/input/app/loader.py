from pathlib import Path


class EvalSetLoader:
    def __init__(self, root: Path) -> None:
        self.root = root

    def get_slice_scripts(self, name: str) -> list[str]:
        return sorted(p.name for p in (self.root / name).iterdir())
