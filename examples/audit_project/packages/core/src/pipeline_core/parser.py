"""A dialogue-script parser (violation 3)."""

from __future__ import annotations

from pathlib import Path


class ScriptParser:
    def parse_script(self, script_path: Path) -> list[str]:
        content = script_path.read_text(encoding="utf-8")
        return self._dialogue_lines(content)

    def _dialogue_lines(self, content: str) -> list[str]:
        return [line.strip() for line in content.splitlines() if line.strip().startswith('"')]
