"""``check`` works out which helper strategies apply only when its output shows them."""

from __future__ import annotations

from pathlib import Path

from asyncify.api import run_check
from asyncify.config import Config
from asyncify.vocabulary import HELPER_STRATEGIES, Strategy

PROJECT = '''\
import functools


@functools.lru_cache
def load(path):
    with open(path) as handle:
        return handle.read()


async def main(path):
    return load(path)
'''


def helper_finding(root: Path, *, explain: bool, cache: bool = False) -> tuple[tuple[Strategy, ...], dict[str, str]]:
    result = run_check([root], Config(cache=cache), explain=explain)
    (finding,) = [f for f in result.findings if f.code == "AFY200"]
    return finding.strategies, dict(finding.strategy_notes)


def test_explained_only_when_asked(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(PROJECT)
    strategies, notes = helper_finding(tmp_path, explain=True)
    assert strategies == (Strategy.WRAP,)
    assert "lru_cache" in notes[Strategy.TWIN] and "lru_cache" in notes[Strategy.PROPAGATE]
    strategies, notes = helper_finding(tmp_path, explain=False)
    assert strategies == HELPER_STRATEGIES and notes == {}


def test_the_result_cache_keeps_explained_and_plain_results_apart(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(PROJECT)
    assert helper_finding(tmp_path, explain=False, cache=True)[1] == {}
    assert helper_finding(tmp_path, explain=True, cache=True)[1] != {}
    assert helper_finding(tmp_path, explain=False, cache=True)[1] == {}
