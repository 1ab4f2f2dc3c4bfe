"""The GitHub Action (``action.yml``), the README's workflow and pre-commit set-up.

The action's shell steps run here as a runner runs them (``bash --noprofile --norc -eo
pipefail``, ``GITHUB_OUTPUT``, ``GITHUB_ACTION_PATH``, ``RUNNER_TEMP``, inputs through
``${{ }}`` expressions and ``if:`` conditions) with the README workflow's inputs, against
a copy of ``examples/audit_project``: the install step builds asyncify from a copy of
this repository into a fresh virtual environment, as ``uses: owner/asyncify@rev`` does.
The ``uses:`` steps (setup-python, upload-sarif) are not run; their inputs are checked.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from asyncify import __version__

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "audit_project"
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
REPOSITORY_URL = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Repository"]
REPOSITORY = REPOSITORY_URL.removeprefix("https://github.com/")
COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv*", "build", "*.egg-info", "__pycache__", ".*_cache", ".asyncify_cache", "golden", "benchmarks"
)


def readme_block(marker: str) -> dict[str, Any]:
    """The README's ```yaml block containing ``marker``."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", readme, re.DOTALL) if marker in b]
    assert len(blocks) == 1, f"one README yaml block with {marker!r}"
    loaded: dict[str, Any] = yaml.safe_load(blocks[0])
    return loaded


WORKFLOW = readme_block("jobs:")
STEP = next(s for s in WORKFLOW["jobs"]["asyncify"]["steps"] if str(s.get("uses", "")).startswith(REPOSITORY))


# -- a small GitHub Actions expression evaluator: the subset action.yml uses ------------

_TOKEN = re.compile(
    r"\s*(?:(?P<str>'[^']*')|(?P<op>==|!=|&&|\|\||\(|\))|(?P<call>always\(\)|success\(\))|(?P<name>[\w.-]+))"
)


@dataclass
class Context:
    inputs: dict[str, str]
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    failed: bool = False

    def lookup(self, name: str) -> str:
        parts = name.split(".")
        if parts[0] == "inputs":
            return self.inputs.get(parts[1], str(ACTION["inputs"][parts[1]].get("default", "")))
        if parts[0] == "steps" and parts[2] == "outputs":
            return self.outputs.get(parts[1], {}).get(parts[3], "")
        raise AssertionError(f"expression context not supported by the test: {name}")

    def evaluate(self, expression: str) -> Any:
        python = []
        for match in _TOKEN.finditer(expression.strip()):
            if match.group("str"):
                python.append(repr(match.group("str")[1:-1]))
            elif match.group("op"):
                python.append({"&&": " and ", "||": " or "}.get(match.group("op"), match.group("op")))
            elif match.group("call"):
                python.append("True" if match.group("call") == "always()" else repr(not self.failed))
            else:
                python.append(repr(self.lookup(match.group("name"))))
        return eval("".join(python), {"__builtins__": {}})  # the tokens above only: names become string literals

    def substitute(self, text: str) -> str:
        return re.sub(r"\$\{\{(.*?)\}\}", lambda m: str(self.evaluate(m.group(1))), text)

    def condition(self, step: dict[str, Any]) -> bool:
        condition = str(step.get("if", "success()"))
        if "always()" not in condition and "success()" not in condition:
            condition = f"success() && ({condition})"
        return bool(self.evaluate(condition))


@dataclass
class StepRun:
    name: str
    ran: bool
    returncode: int = 0
    stdout: str = ""
    stderr: str = ""
    inputs: dict[str, str] = field(default_factory=dict)


def run_action(
    context: Context, workspace: Path, action_path: Path, runner_temp: Path, skip: set[str]
) -> list[StepRun]:
    """Every step of ``action.yml`` in order, as a runner would (``skip``: step ids already run)."""
    results = []
    for step in ACTION["runs"]["steps"]:
        if step.get("id") in skip:
            continue
        if not context.condition(step):
            results.append(StepRun(step["name"], ran=False))
            continue
        if "uses" in step:  # not run here: what it would be given is checked
            given = {k: context.substitute(str(v)) for k, v in step.get("with", {}).items()}
            results.append(StepRun(step["name"], ran=True, inputs=given))
            continue
        outputs = runner_temp / f"output-{len(results)}"
        outputs.write_text("")
        env = {
            # What setup-python does: the tests' own Python first on the PATH, as python3.
            "PATH": f"{Path(sys._base_executable).parent}{os.pathsep}{os.environ['PATH']}",
            "HOME": str(Path.home()),
            "GITHUB_OUTPUT": str(outputs),
            "GITHUB_ACTION_PATH": str(action_path),
            "RUNNER_TEMP": str(runner_temp),
            **{k: context.substitute(str(v)) for k, v in step.get("env", {}).items()},
        }
        script = runner_temp / "step.sh"
        script.write_text(step["run"])
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if "id" in step:
            context.outputs[step["id"]] = dict(
                line.split("=", 1) for line in outputs.read_text().splitlines() if "=" in line
            )
        context.failed = context.failed or done.returncode != 0
        results.append(StepRun(step["name"], True, done.returncode, done.stdout, done.stderr))
    return results


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    """The install step, run once: the repository copied (as the runner downloads it) and
    installed into a fresh virtual environment with python3 -m venv and pip."""
    base = tmp_path_factory.mktemp("action")
    action_path = base / "action"
    shutil.copytree(ROOT, action_path, ignore=COPY_IGNORE, symlinks=True)
    temp = base / "runner_temp"
    temp.mkdir()
    context = Context(inputs={k: str(v) for k, v in STEP.get("with", {}).items()})
    install = next(s for s in ACTION["runs"]["steps"] if s.get("id") == "install")
    context.inputs["python-version"] = ""  # setup-python is not run here: the host's python3 is used
    results = run_action(
        context, base, action_path, temp, skip={s.get("id") for s in ACTION["runs"]["steps"]} - {"install"}
    )
    assert [r.name for r in results if r.ran] == [install["name"]]
    assert results[-1].returncode == 0, results[-1].stderr
    assert results[-1].stdout.strip() == f"asyncify {__version__}"
    yield action_path, context.outputs["install"]


def workspace(tmp_path: Path) -> Path:
    copy = tmp_path / "workspace"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns(".asyncify_cache", "__pycache__"))
    return copy


def check_steps(
    installed: tuple[Path, dict[str, str]], tmp_path: Path, inputs: dict[str, str]
) -> tuple[Context, list[StepRun]]:
    action_path, install_outputs = installed
    context = Context(inputs=inputs, outputs={"install": install_outputs})
    temp = tmp_path / "runner_temp"
    temp.mkdir(exist_ok=True)
    steps = run_action(context, tmp_path / "workspace", action_path, temp, skip={"install"})
    return context, steps


def by_name(steps: list[StepRun]) -> dict[str, StepRun]:
    return {step.name: step for step in steps}


def test_the_readme_workflow_on_a_baselined_project_with_one_new_call(
    installed: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """The README's inputs (a baseline): the one new blocking call is the one alert, the
    upload gets the SARIF file, and the job fails after it."""
    project = workspace(tmp_path)
    executable = installed[1]["executable"]
    recorded = subprocess.run(
        [executable, "check", "--write-baseline", ".asyncify-baseline.json", "."], cwd=project, capture_output=True
    )
    assert recorded.returncode == 0, recorded.stderr
    main = project / "services" / "cli" / "src" / "pipeline_cli" / "main.py"
    text = main.read_text()
    main.write_text(
        text.replace(
            "async def _run_pipeline_async(",
            "async def _nap() -> None:\n    time.sleep(1)\n\n\nasync def _run_pipeline_async(",
            1,
        )
        + "\nimport time\n"
    )
    inputs = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in STEP["with"].items()}
    context, steps = check_steps(installed, tmp_path, inputs)
    ran = by_name(steps)
    assert ran["Set up Python"].inputs == {"python-version": "3.12"}
    assert ran["Run asyncify check"].returncode == 0, ran["Run asyncify check"].stderr
    assert context.outputs["check"] == {"exit-code": "1", "sarif-file": "asyncify.sarif"}
    sarif = json.loads((project / "asyncify.sarif").read_text())
    results = sarif["runs"][0]["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results] == [
        ("AFY110", text[: text.index("async def _run_pipeline_async(")].count("\n") + 2)
    ]
    assert "1 finding in 1 file (1 fixable), checked 9 files; 15 baselined" in ran["Run asyncify check"].stderr
    assert "AFY110 [*] `time.sleep` blocks the event loop" in ran["Run asyncify check"].stdout, "findings in the log"
    assert ran["Upload to code scanning"].inputs == {"sarif_file": "asyncify.sarif", "category": "asyncify"}
    assert ran["Fail on findings"].returncode == 1
    assert ran["Fail on findings"].stdout.startswith("::error title=asyncify::")


def test_findings_without_failing_the_job(installed: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    project = workspace(tmp_path)
    context, steps = check_steps(installed, tmp_path, {"fail-on-findings": "false", "sarif-file": "out/a.sarif"})
    ran = by_name(steps)
    assert context.outputs["check"] == {"exit-code": "1", "sarif-file": "out/a.sarif"}
    assert len(json.loads((project / "out" / "a.sarif").read_text())["runs"][0]["results"]) == 15
    assert ran["Fail on findings"].ran is False
    assert not context.failed


def test_a_usage_error_fails_without_an_upload(installed: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    workspace(tmp_path)
    context, steps = check_steps(installed, tmp_path, {"args": "--select NOPE"})
    ran = by_name(steps)
    assert ran["Run asyncify check"].returncode == 2
    assert "asyncify: error: --select: unknown rule code or prefix 'NOPE'" in ran["Run asyncify check"].stderr
    assert context.outputs["check"] == {"exit-code": "2"}
    assert ran["Upload to code scanning"].ran is False, "no SARIF file to upload"
    assert ran["Fail on findings"].ran is False
    assert context.failed


def test_the_action_definition() -> None:
    """Inputs reach the shell through env only (no ${{ }} inside a script: no injection),
    bash everywhere, actions pinned to a major version, every input documented."""
    for step in ACTION["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], step["name"]
            assert step["shell"] == "bash"
        else:
            assert re.fullmatch(r"[\w-]+/[\w/-]+@v\d+", step["uses"]), step["uses"]
    assert ACTION["runs"]["using"] == "composite"
    assert all(spec.get("description") for spec in ACTION["inputs"].values())
    step_ids = {step.get("id") for step in ACTION["runs"]["steps"]}
    for output in ACTION["outputs"].values():
        assert re.fullmatch(r"\$\{\{ steps\.(\w+)\.outputs\.[\w-]+ \}\}", output["value"])
        assert output["value"].split(".")[1] in step_ids


def test_the_readme_workflow_uses_this_action_at_the_release() -> None:
    job = WORKFLOW["jobs"]["asyncify"]
    uses = [step.get("uses") for step in job["steps"]]
    assert uses[0] == "actions/checkout@v4", "the code is checked out first"
    assert STEP["uses"] == f"{REPOSITORY}@v{__version__}"
    assert set(STEP["with"]) <= set(ACTION["inputs"]), "only inputs the action declares"
    assert WORKFLOW["permissions"]["security-events"] == "write", "upload-sarif needs it"


def test_the_readme_pre_commit_configuration() -> None:
    config = readme_block("repos:")
    (repo,) = config["repos"]
    assert repo["repo"] == REPOSITORY_URL
    assert repo["rev"] == f"v{__version__}"
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [hook["id"] for hook in repo["hooks"]] == [hook["id"] for hook in hooks]
    assert hooks[0]["entry"] == "asyncify check"
