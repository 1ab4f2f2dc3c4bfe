"""Agent pools built from profile files (violation 2)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class AgentProfile:
    name: str
    phase: str


@dataclass
class AgentPool:
    phase: str
    agents: list[AgentProfile] = field(default_factory=list)


def load_agent_profile_sync(path: Path) -> AgentProfile:
    data = json.loads(path.read_text(encoding="utf-8"))
    return AgentProfile(name=data["name"], phase=data["phase"])


def load_agent_profile(path: Path) -> AgentProfile:
    """Insists on a running loop, then blocks it anyway."""
    asyncio.get_running_loop()
    return load_agent_profile_sync(path)


def _discover_agent_profile_specs(agents_dir: Path) -> list[Path]:
    return sorted(agents_dir.glob("*.json"))


def build_agent_pools(agents_dir: Path, phases: list[str]) -> dict[str, AgentPool]:
    pools = {phase: AgentPool(phase) for phase in phases}
    for spec in _discover_agent_profile_specs(agents_dir):
        profile = load_agent_profile(spec)
        if profile.phase in pools:
            pools[profile.phase].agents.append(profile)
    return pools
