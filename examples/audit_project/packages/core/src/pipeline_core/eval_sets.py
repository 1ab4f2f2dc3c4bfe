"""Eval-set manifests and slices (violation 3)."""

from __future__ import annotations

import json
from pathlib import Path


class EvalSetLoader:
    root = Path("eval_sets")

    @staticmethod
    def load_manifest(eval_set_dir: Path) -> dict[str, str]:
        return json.loads((eval_set_dir / "manifest.json").read_text(encoding="utf-8"))

    @classmethod
    def load_slices(cls, eval_set_dir: Path) -> dict[str, list[int]]:
        with open(eval_set_dir / "slices.json", encoding="utf-8") as handle:
            return json.load(handle)
