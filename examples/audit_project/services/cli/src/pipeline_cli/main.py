"""Pipeline orchestration entry points (violations 1, 2 and 3)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pipeline_core.agents import AgentPool, build_agent_pools
from pipeline_core.eval_sets import EvalSetLoader
from pipeline_core.parser import ScriptParser


@dataclass
class ProgressUpdate:
    phase: str
    done: int


@dataclass
class Bundle:
    workdir: Path

    @property
    def progress_path(self) -> Path:
        return self.workdir / "progress.jsonl"


def _read_progress_updates(path: Path) -> list[ProgressUpdate]:
    updates = []
    with path.open("r", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                updates.append(ProgressUpdate(**json.loads(line)))
    return updates


def _write_run_report(path: Path, data: dict[str, object]) -> None:
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def _report_path(workdir: Path) -> Path:
    return workdir / "report.json"


def _build_orchestrator(agents_dir: Path, phases: list[str]) -> dict[str, AgentPool]:
    return build_agent_pools(agents_dir, phases)


async def _run_pipeline_async(bundle: Bundle, agents_dir: Path) -> dict[str, object]:
    pools = _build_orchestrator(agents_dir, ["translate", "review"])
    progress_updates = _read_progress_updates(bundle.progress_path)
    report_data: dict[str, object] = {
        "phases": {name: len(pool.agents) for name, pool in pools.items()},
        "progress": sum(update.done for update in progress_updates),
    }
    _write_run_report(_report_path(bundle.workdir), report_data)
    return report_data


async def _benchmark_download_async(eval_set_dir: Path, script_path: Path, line_count: int) -> list[str]:
    manifest = EvalSetLoader.load_manifest(eval_set_dir)
    slices_config = EvalSetLoader.load_slices(eval_set_dir)
    content_lines = script_path.read_text(encoding="utf-8").splitlines()
    start = slices_config.get(manifest["default_slice"], [0])[0]
    sliced_content = "\n".join(content_lines[start : start + line_count])
    temp_path = script_path.with_suffix(".slice")
    temp_path.write_text(sliced_content, encoding="utf-8")
    parser = ScriptParser()
    parsed = parser.parse_script(temp_path)
    temp_path.unlink()
    return parsed
