"""Blocking object types end to end: the chain of a project class wrapping a client, and
what ``fix`` does with a method call on a blocking object (the call moves to a thread,
the object stays the same)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from asyncify.api import catalogue_for, findings_for_source, run_check
from asyncify.config import ConfigError, load_config, parse_table

ROOT = Path(__file__).resolve().parent.parent
SHOP = ROOT / "golden" / "check_projects" / "objects"


def test_a_wrapper_class_reports_the_chain_down_to_the_client_method() -> None:
    cwd = os.getcwd()
    os.chdir(SHOP)
    try:
        result = run_check([Path(".")], load_config(Path(".")).with_overrides(cache=False), jobs=1)
    finally:
        os.chdir(cwd)
    chains = {f.call: [link.function for link in f.chain] for f in result.findings}
    assert chains["shop.db.DB.find_items"] == ["shop.db.DB.find_items", "pymongo.collection.Collection.find"]
    assert chains["shop.tasks.TaskQueue.push"] == ["shop.tasks.TaskQueue.push", "redis.Redis.rpush"]


SOURCE = '''\
import httpx
from typing import TextIO


class Api:
    def __init__(self) -> None:
        self.client = httpx.Client()

    async def fetch(self, url: str) -> bytes:
        return self.client.get(url, timeout=5).content


async def copy(source: TextIO, target: TextIO) -> None:
    target.write(source.read())
'''

FIXED = '''\
import httpx
import asyncio
from typing import TextIO


class Api:
    def __init__(self) -> None:
        self.client = httpx.Client()

    async def fetch(self, url: str) -> bytes:
        return (await asyncio.to_thread(self.client.get, url, timeout=5)).content


async def copy(source: TextIO, target: TextIO) -> None:
    await asyncio.to_thread(target.write, await asyncio.to_thread(source.read))
'''


def test_fix_wraps_the_bound_method_and_keeps_the_object(tmp_path: Path) -> None:
    module = tmp_path / "api.py"
    module.write_text(SOURCE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "asyncify", "fix", "--no-cache", str(module)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode in (0, 1), done.stderr
    assert module.read_text(encoding="utf-8") == FIXED
    assert findings_for_source(FIXED, "api.py") == []


def test_messages_name_the_async_alternative() -> None:
    source = "import redis\n\n\nasync def f(r: redis.Redis) -> None:\n    r.set('k', 1)\n"
    [finding] = findings_for_source(source, "m.py")
    assert finding.code == "AFY140"
    assert finding.message.endswith("async alternative: redis.asyncio.Redis"), finding.message


def test_extra_blocking_classes_and_patterns_are_validated(tmp_path: Path) -> None:
    where = tmp_path / "pyproject.toml"
    for bad, key in [
        ({"extra-blocking-classes": "vendor.Client"}, "extra-blocking-classes"),
        ({"extra-blocking-classes": [{"non-blocking": ["x"]}]}, "'name'"),
        ({"extra-blocking-classes": [{"name": "vendor.Client", "non-blocking": "close"}]}, "'non-blocking'"),
        ({"extra-blocking-classes": [{"name": "vendor.Client", "blocking": ["a"], "non-blocking": ["b"]}]}, "not both"),
        ({"extra-blocking-classes": [{"name": "vendor.Client", "size": 1}]}, "'size'"),
        ({"extra-blocking-calls": [{"name": "*.*"}]}, "'name'"),
        ({"extra-blocking-calls": [{"name": "*"}]}, "'name'"),
        ({"extra-blocking-calls": [{"name": "a.*.b"}]}, "'name'"),
    ]:
        with pytest.raises(ConfigError, match=re.escape(key)) as raised:
            parse_table(bad, where)
        assert str(where) in str(raised.value)
    config = parse_table(
        {
            "extra-blocking-classes": ["vendor.Client", {"name": "vendor.Pool", "non-blocking": ["size"]}],
            "extra-blocking-calls": [{"name": "legacy.*"}, {"name": "*.fetch_all"}],
        },
        where,
    )
    catalogue = catalogue_for(config)
    assert catalogue.lookup("vendor.Client.get") is not None
    assert catalogue.lookup("vendor.Pool.size") is None
    assert catalogue.lookup("legacy.db.connect") is not None
    assert catalogue.lookup("legacyx.connect") is None
    assert catalogue.lookup("anything.Store.fetch_all") is not None
    assert catalogue.guess("fetch_all") is not None
    assert config.fingerprint() != parse_table({}, where).fingerprint()
