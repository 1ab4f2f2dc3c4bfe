"""The example project's own behaviour: must pass before and after `asyncify fix`."""

import asyncio
import hashlib
import json
from pathlib import Path

from pipeline_cli.main import Bundle, _benchmark_download_async, _run_pipeline_async
from pipeline_core.doctor import doctor_report, run_doctor
from pipeline_core.downloader import EvalDownloader
from pipeline_core.storage import FilesystemStore


def test_run_doctor_migrates_and_checks(tmp_path: Path) -> None:
    config = tmp_path / "pipeline.toml"
    config.write_text('name = "demo"\nschema = 1\n', encoding="utf-8")
    results = asyncio.run(run_doctor(config))
    assert [(r.name, r.passed) for r in results] == [("config", True), ("name", True)]
    assert (tmp_path / "pipeline.toml.bak").read_text(encoding="utf-8") == 'name = "demo"\nschema = 1\n'
    assert "schema = 2" in config.read_text(encoding="utf-8")
    assert doctor_report(config) == "config=ok"


def test_run_doctor_missing_config(tmp_path: Path) -> None:
    results = asyncio.run(run_doctor(tmp_path / "absent.toml"))
    assert [(r.name, r.passed, r.detail) for r in results] == [("config", False, "missing")]


def test_pipeline_reads_progress_and_writes_report(tmp_path: Path) -> None:
    agents = tmp_path / "agents"
    agents.mkdir()
    (agents / "a.json").write_text(json.dumps({"name": "a", "phase": "translate"}), encoding="utf-8")
    (agents / "b.json").write_text(json.dumps({"name": "b", "phase": "review"}), encoding="utf-8")
    (agents / "c.json").write_text(json.dumps({"name": "c", "phase": "translate"}), encoding="utf-8")
    (tmp_path / "progress.jsonl").write_text('{"phase": "translate", "done": 3}\n\n{"phase": "review", "done": 4}\n', encoding="utf-8")
    report = asyncio.run(_run_pipeline_async(Bundle(tmp_path), agents))
    assert report == {"phases": {"translate": 2, "review": 1}, "progress": 7}
    assert json.loads((tmp_path / "report.json").read_text(encoding="utf-8")) == report


def test_benchmark_download_slices_and_parses(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps({"default_slice": "intro"}), encoding="utf-8")
    (tmp_path / "slices.json").write_text(json.dumps({"intro": [1]}), encoding="utf-8")
    script = tmp_path / "script.rpy"
    script.write_text('label start:\n    "Hello."\n    "World."\n    jump end\n', encoding="utf-8")
    parsed = asyncio.run(_benchmark_download_async(tmp_path, script, 2))
    assert parsed == ['"Hello."', '"World."']
    assert not (tmp_path / "script.slice").exists()


def test_downloader_verifies_hashes(tmp_path: Path) -> None:
    payloads = {"one.rpy": b"first", "two.rpy": b"second"}

    async def fetch(name: str) -> bytes:
        return payloads[name]

    manifest = {name: hashlib.sha256(data).hexdigest() for name, data in payloads.items()}
    downloader = EvalDownloader(tmp_path, fetch)
    paths = asyncio.run(downloader.download_scripts(list(payloads), manifest))
    assert [p.read_bytes() for p in paths] == [b"first", b"second"]
    again = asyncio.run(downloader.download_scripts(["one.rpy"], manifest))
    assert again == [tmp_path / "one.rpy"]


def test_compliant_store_round_trip(tmp_path: Path) -> None:
    store = FilesystemStore(tmp_path)
    asyncio.run(store.save("x.json", {"a": 1}))
    assert asyncio.run(store.load("x.json")) == {"a": 1}
