"""The doctor's behaviour: migration, backup, checks, and the sync report."""

import asyncio
from pathlib import Path


def main(workdir: Path) -> object:
    from pipeline_core.doctor import doctor_report, run_doctor

    config = workdir / "pipeline.toml"
    config.write_text('name = "demo"\nschema = 1\n', encoding="utf-8")
    first = asyncio.run(run_doctor(config))
    broken = workdir / "broken.toml"
    broken.write_text("name = \n", encoding="utf-8")
    return {
        "first": [(r.name, r.passed, r.detail) for r in first],
        "backup": (workdir / "pipeline.toml.bak").read_text(encoding="utf-8"),
        "migrated": config.read_text(encoding="utf-8"),
        "again": [(r.name, r.passed) for r in asyncio.run(run_doctor(config))],
        "report": doctor_report(config),
        "missing": [(r.name, r.passed, r.detail) for r in asyncio.run(run_doctor(workdir / "absent.toml"))],
        "broken": [(r.name, r.passed) for r in asyncio.run(run_doctor(broken))],
        "broken_report": doctor_report(broken),
    }
