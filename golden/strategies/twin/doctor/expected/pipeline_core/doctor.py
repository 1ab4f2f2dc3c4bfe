"""Health checks for a pipeline configuration (violation 5)."""

from __future__ import annotations

import asyncio
import tomllib
from dataclasses import dataclass
from pathlib import Path

CURRENT_SCHEMA = 2


@dataclass
class CheckResult:
    name: str
    passed: bool
    detail: str = ""


def _migrate(payload: dict[str, object]) -> tuple[dict[str, object], bool]:
    if payload.get("schema", 1) == CURRENT_SCHEMA:
        return payload, False
    migrated = dict(payload)
    migrated["schema"] = CURRENT_SCHEMA
    return migrated, True


def _dump_toml(payload: dict[str, object]) -> str:
    return "".join(f"{key} = {value!r}\n".replace("'", '"') for key, value in payload.items())


def _load_config_sync(config_path: Path) -> dict[str, object] | None:
    """Read the config, upgrading an old schema in place (keeping a backup)."""
    if not config_path.exists():
        return None
    with open(config_path, "rb") as handle:
        payload = tomllib.load(handle)
    payload, was_migrated = _migrate(payload)
    if was_migrated:
        backup_path = config_path.with_suffix(".toml.bak")
        backup_path.write_bytes(config_path.read_bytes())
        config_path.write_text(_dump_toml(payload), encoding="utf-8")
    return payload


async def _load_config_async(config_path: Path) -> dict[str, object] | None:
    """Read the config, upgrading an old schema in place (keeping a backup)."""
    if not await asyncio.to_thread(config_path.exists):
        return None

    def _read_config() -> None:
        nonlocal payload
        with open(config_path, "rb") as handle:
            payload = tomllib.load(handle)

    await asyncio.to_thread(_read_config)
    payload, was_migrated = _migrate(payload)
    if was_migrated:
        backup_path = config_path.with_suffix(".toml.bak")
        await asyncio.to_thread(
            backup_path.write_bytes, await asyncio.to_thread(config_path.read_bytes)
        )
        await asyncio.to_thread(
            config_path.write_text, _dump_toml(payload), encoding="utf-8"
        )
    return payload


def check_config_valid(config_path: Path) -> CheckResult:
    try:
        config = _load_config_sync(config_path)
    except tomllib.TOMLDecodeError as error:
        return CheckResult("config", False, str(error))
    if config is None:
        return CheckResult("config", False, "missing")
    return CheckResult("config", True)


async def check_config_valid_async(config_path: Path) -> CheckResult:
    try:
        config = await _load_config_async(config_path)
    except tomllib.TOMLDecodeError as error:
        return CheckResult("config", False, str(error))
    if config is None:
        return CheckResult("config", False, "missing")
    return CheckResult("config", True)


async def run_doctor(config_path: Path) -> list[CheckResult]:
    """Run every check; the async entry point the CLI awaits."""
    results = [await check_config_valid_async(config_path)]
    if results[0].passed:
        config = await _load_config_async(config_path)
        name = str(config.get("name", "")) if config else ""
        results.append(CheckResult("name", bool(name), name))
    return results


def doctor_report(config_path: Path) -> str:
    """A sync caller that must keep working unchanged."""
    return ", ".join(f"{r.name}={'ok' if r.passed else 'fail'}" for r in [check_config_valid(config_path)])
