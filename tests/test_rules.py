"""Rule modules: stable codes, one rule per module, messages that format, noqa codes of
flake8-async/ruff, and documentation with the five fixed sections and a real example."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import textwrap
import tomllib
from pathlib import Path

import pytest

import asyncify.rules
from asyncify.api import findings_for_source
from asyncify.catalogue.catalogue import load_builtin_catalogue
from asyncify.config import Config, parse_table
from asyncify.rules import Rule, all_rules, rule_for
from asyncify.rules.base import DOC_SECTIONS

RULES = all_rules()
EXPECTED_NOQA = {
    "AFY101": ("ASYNC230", "ASYNC231"),
    "AFY102": ("ASYNC240",),
    "AFY103": ("ASYNC240",),
    "AFY104": (),
    "AFY105": (),
    "AFY106": (),
    "AFY107": (),
    "AFY108": ("ASYNC232",),
    "AFY109": (),
    "AFY110": ("ASYNC251",),
    "AFY120": ("ASYNC220", "ASYNC221", "ASYNC222"),
    "AFY130": ("ASYNC210", "ASYNC211", "ASYNC212"),
    "AFY131": (),
    "AFY132": (),
    "AFY133": (),
    "AFY140": (),
    "AFY150": ("ASYNC250",),
    "AFY151": (),
    "AFY160": (),
    "AFY170": (),
    "AFY190": ("ASYNC200",),
    "AFY200": (),
    "AFY300": (),
}


def sections(rule: type[Rule]) -> dict[str, str]:
    """The documentation split on its ``## `` headings (text before the first is ``""``)."""
    found: dict[str, list[str]] = {"": []}
    current = ""
    for line in rule.documentation().splitlines():
        if line.startswith("## "):
            current = line
            assert current not in found, f"{rule.code}: section {current!r} twice"
            found[current] = []
        else:
            found[current].append(line)
    return {heading: "\n".join(lines).strip() for heading, lines in found.items()}


def test_expected_rules_are_registered() -> None:
    assert sorted(RULES) == sorted(EXPECTED_NOQA)


@pytest.mark.parametrize("code", sorted(RULES))
def test_code_and_name(code: str) -> None:
    rule = RULES[code]
    assert rule.code == code
    assert re.fullmatch(r"AFY\d{3}", rule.code), rule.code
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name), rule.name
    assert rule_for(code) is rule


def test_names_are_unique() -> None:
    names = [rule.name for rule in RULES.values()]
    assert len(names) == len(set(names)), names


def test_one_rule_per_module() -> None:
    modules = [info.name for info in pkgutil.iter_modules(asyncify.rules.__path__) if info.name != "base"]
    counts: dict[str, list[str]] = {}
    for module_name in modules:
        module = importlib.import_module(f"asyncify.rules.{module_name}")
        counts[module_name] = [
            value.code
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, Rule)
            and value is not Rule
            and value.__module__ == module.__name__
        ]
    assert {m: c for m, c in counts.items() if len(c) != 1} == {}
    assert sorted(code for codes in counts.values() for code in codes) == sorted(RULES)


@pytest.mark.parametrize("code", sorted(RULES))
def test_message_is_a_template(code: str) -> None:
    rule = RULES[code]
    assert "{call}" in rule.message
    text = rule.format("pathlib.Path.read_text")
    assert "pathlib.Path.read_text" in text
    assert "{" not in text and "}" not in text
    assert "\n" not in text


@pytest.mark.parametrize("code", sorted(RULES))
def test_noqa_codes(code: str) -> None:
    rule = RULES[code]
    assert all(re.fullmatch(r"ASYNC\d{3}", n) for n in rule.noqa), rule.noqa
    assert len(set(rule.noqa)) == len(rule.noqa)
    assert rule.noqa == EXPECTED_NOQA[code]


@pytest.mark.parametrize("code", sorted(RULES))
def test_documentation_sections(code: str) -> None:
    rule = RULES[code]
    found = sections(rule)
    assert [h for h in found if h] == list(DOC_SECTIONS), f"{code}: sections {list(found)}"
    for heading in DOC_SECTIONS:
        assert len(found[heading]) > 40, f"{code}: section {heading!r} is (nearly) empty"
    summary = found[""]
    assert summary and summary == rule.summary(), f"{code}: summary line missing"
    assert len(summary.splitlines()) == 1


def example_config(rule: type[Rule]) -> Config:
    table = tomllib.loads(rule.EXAMPLE_CONFIG)
    return parse_table(table, Path("example.toml")).with_overrides(cache=False)


EXAMPLES = [(code, index) for code, rule in sorted(RULES.items()) for index in range(len(rule.INVALID))]
NEAR_MISSES = [(code, index) for code, rule in sorted(RULES.items()) for index in range(len(rule.VALID))]


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_has_examples(code: str) -> None:
    rule = RULES[code]
    assert rule.INVALID and rule.VALID, f"{code}: needs INVALID and VALID examples"
    for source in (*rule.INVALID, *rule.VALID):
        tree = ast.parse(source)
        assert any(isinstance(node, ast.AsyncFunctionDef) for node in ast.walk(tree)), f"{code}: no async def"


@pytest.mark.parametrize(("code", "index"), EXAMPLES)
def test_invalid_example_gives_exactly_its_finding(code: str, index: int) -> None:
    rule = RULES[code]
    findings = findings_for_source(rule.INVALID[index], "example.py", example_config(rule))
    # a run-time rule's example is what static analysis cannot see (tests/test_runtime_golden.py sees it)
    assert [f.code for f in findings] == ([] if rule.observed else [code]), findings


@pytest.mark.parametrize(("code", "index"), NEAR_MISSES)
def test_valid_example_gives_no_finding(code: str, index: int) -> None:
    rule = RULES[code]
    assert findings_for_source(rule.VALID[index], "example.py", example_config(rule)) == []


@pytest.mark.parametrize("code", sorted(RULES))
def test_examples_are_the_documented_example(code: str) -> None:
    """``explain`` shows every example, as written (the first one first)."""
    rule = RULES[code]
    example = sections(rule)["## Example"]
    blocks = [textwrap.dedent(b).strip() for b in re.findall(r"```python\n(.*?)```", example, flags=re.DOTALL)]
    assert blocks == [textwrap.dedent(s).strip() for s in (*rule.INVALID, *rule.VALID)]


def test_an_example_that_finds_nothing_fails_the_check() -> None:
    """What the 'time.sleep without import time' examples did: no finding at all."""
    assert findings_for_source("async def poll():\n    time.sleep(1)\n", "example.py") == []


@pytest.mark.parametrize("code", sorted(RULES))
def test_fix_section_covers_the_strategies(code: str) -> None:
    """Every strategy the catalogue offers for a rule is explained in its Fix section,
    and a rule with findings that need opting in says so under Fix safety."""
    entries = [e for e in load_builtin_catalogue().entries() if e.code == code]
    doc = sections(RULES[code])
    for strategy in sorted({s for e in entries for s in e.strategies}):
        assert f"`{strategy}`" in doc["## Fix"], f"{code}: Fix does not describe `{strategy}`"
    if any(e.guess or e.likely or e.thread_affine for e in entries):
        assert "--unsafe-fixes" in doc["## Fix safety"] or "review" in doc["## Fix safety"], code
    if any(e.thread_affine for e in entries):
        assert "thread-affine" in doc["## Fix safety"], code


def test_sections_helper_detects_a_missing_section() -> None:
    class Broken(Rule):
        """Summary.

        ## What it finds
        Something.

        ## Fix
        Nothing.
        """

        code = "AFY999"
        name = "broken"
        message = "`{call}`"

    assert [h for h in sections(Broken) if h] != list(DOC_SECTIONS)
