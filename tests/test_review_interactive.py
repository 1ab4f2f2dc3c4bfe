"""``asyncify fix -i``: scripted sessions through the real command line, and the rules
of the review loop (later passes, changes refused on their own) on small fakes.

The fixture's eight first-pass changes, in the order ``-i`` offers them:
1-5 ``app/service.py`` (sleep, os.path.exists, mkdir, the helper, read_text),
6-7 ``app/storage.py`` (aiofiles open, shutil.copy), 8 ``app/tail.py`` (sleep).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rich.console import Console
from test_review_cli import copy_project, review_cli, snapshot

from asyncify.findings import Confidence, Finding
from asyncify.plan import Change
from asyncify.review.interactive import HELP, apply_review, run_review
from asyncify.review.summary import LATER_PASS, NOT_REVIEWED, REJECTED, SKIPPED
from asyncify.rewrite import RewriteOutcome
from asyncify.scan.summary import Span

SERVICE, STORAGE, TAIL = "app/service.py", "app/storage.py", "app/tail.py"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path)


@pytest.fixture
def fixed(tmp_path: Path) -> dict[str, bytes]:
    """What plain ``fix`` writes."""
    target = copy_project(tmp_path, "fixed")
    review_cli(target)
    return snapshot(target)


def answer(project: Path, script: str, *args: str) -> tuple[dict[str, bytes], str, int]:
    result = review_cli(project, "-i", *args, stdin=script.encode())
    return snapshot(project), result.stdout.decode(), result.returncode


def only(tmp_path: Path, name: str, select: str, path: str) -> bytes:
    """``path`` as plain ``fix --select`` writes it: an independent expectation."""
    target = copy_project(tmp_path, name)
    review_cli(target, "--select", select, path)
    return (target / path).read_bytes()


def test_all_no_writes_nothing(project: Path) -> None:
    before = snapshot(project)
    after, out, code = answer(project, "n\n" * 9)
    assert after == before
    assert code == 1
    assert "(1/9) app/service.py" in out and "(9/9) app/tail.py" in out


def test_all_yes_equals_plain_fix(project: Path, fixed: dict[str, bytes]) -> None:
    after, _, _ = answer(project, "y\n" * 9)
    assert after == fixed


def test_quit_first_writes_nothing(project: Path) -> None:
    before = snapshot(project)
    after, out, _ = answer(project, "q\n")
    assert after == before
    assert "(2/9)" not in out


def test_mixed_script_applies_exactly_the_accepted_changes(project: Path, tmp_path: Path) -> None:
    before = snapshot(project)
    # 1 y (sleep), 2 n, 3 d (skips 3-5), 6 y (aiofiles), 7 q (tail never asked)
    after, out, code = answer(project, "y\nn\nd\ny\nq\n")
    assert code == 1
    assert after[SERVICE] == only(tmp_path, "sleep", "AFY110", SERVICE)
    assert after[STORAGE] == only(tmp_path, "open", "AFY101", STORAGE)
    assert after[TAIL] == before[TAIL]
    assert "(4/9)" not in out and "(6/9) app/storage.py" in out


def test_end_of_input_means_quit(project: Path, tmp_path: Path) -> None:
    before = snapshot(project)
    after, _, _ = answer(project, "y\n")
    assert after[SERVICE] == only(tmp_path, "sleep", "AFY110", SERVICE)
    assert {k for k in after if after[k] != before[k]} == {SERVICE}


def test_accept_rest_of_file_and_accept_all(project: Path, fixed: dict[str, bytes]) -> None:
    before = snapshot(project)
    after, out, _ = answer(project, "a\nn\nA\n")  # service whole, storage: open no, then all
    assert after[SERVICE] == fixed[SERVICE]
    assert after[TAIL] == fixed[TAIL]
    text = after[STORAGE].decode()
    assert "with open(" in text and "await asyncio.to_thread(\n            shutil.copy," in text
    assert after[STORAGE] not in (before[STORAGE], fixed[STORAGE])
    assert "(2/9)" not in out and "(9/9)" not in out


def test_help_and_unknown_answers_ask_again(project: Path, tmp_path: Path) -> None:
    after, out, _ = answer(project, "?\nzz\n\ny\nq\n")
    assert out.count(HELP.splitlines()[0]) == 3
    assert "unknown answer 'zz'" in out
    assert out.count("Apply this change [y,n,a,d,A,q,?]?") == 5
    assert after[SERVICE] == only(tmp_path, "sleep", "AFY110", SERVICE)


def test_summary_counts_review_answers(project: Path) -> None:
    result = review_cli(project, "-i", stdin=b"y\nn\nd\nq\n")
    err = result.stderr.decode()
    assert "Changed 1 file, fixed 1 finding." in err
    assert "rejected in review (-i)" in err and "skipped in review (-i)" in err
    assert "not reviewed (quit before reaching it)" in err


# -- the review loop on fakes ---------------------------------------------------------------


def finding(line: int) -> Finding:
    return Finding(
        code="AFY110",
        message="`time.sleep` blocks",
        path="m.py",
        module="m",
        span=Span(line, 5, line, 18),
        function="main",
        call="time.sleep",
        confidence=Confidence.CERTAIN,
        strategies=("sleep",),
        awaitable=True,
    )


@dataclass
class FakeSource:
    text: str = "x = 1\n"


@dataclass
class FakeFix:
    """The slice of ``FileFix`` the review reads; key 3 is refused on its own."""

    display: str = "m.py"
    source: FakeSource = field(default_factory=FakeSource)
    first_pass: list[Change] = field(default_factory=lambda: [Change(k, finding(k), "sleep") for k in (1, 2, 3)])
    later: Change = field(default_factory=lambda: Change(9, finding(9), "sleep"))
    asked: list[set[int]] = field(default_factory=list)
    absorbed: dict[int, int] = field(default_factory=dict)
    base: str | None = None

    @property
    def changes(self) -> list[Change]:
        return [*self.first_pass, self.later]

    def apply(self, keys: set[int]) -> RewriteOutcome:
        self.asked.append(set(keys))
        refused = {k: "result does not compile" for k in keys if k == 3}
        applied = tuple(sorted(k for k in keys if k != 3))
        return RewriteOutcome("x = 2\n" if applied else "x = 1\n", applied, refused)


def test_review_loop_offers_first_pass_only_and_skips_what_cannot_apply_alone() -> None:
    fake = FakeFix()
    answers = iter(["y", "n"])
    console = Console(file=io.StringIO(), width=100)
    review = run_review([fake], console, lambda: next(answers, None))  # type: ignore[list-item]
    assert review.accepted == {"m.py": {1}}
    assert [(f.span.line, why) for f, why in review.left] == [(2, REJECTED), (3, "result does not compile")]
    applied, left = apply_review([fake], review)  # type: ignore[list-item]
    assert fake.asked[-1] == {1}
    assert [outcome.applied for _, outcome in applied] == [(1,)]
    assert (9, LATER_PASS) in [(f.span.line, why) for f, why in left]


def test_review_loop_skip_file_and_quit() -> None:
    first, second = FakeFix(display="a.py"), FakeFix(display="b.py")
    answers = iter(["d", "q"])
    review = run_review([second, first], Console(file=io.StringIO()), lambda: next(answers, None))  # type: ignore[list-item]
    reasons = [why for _, why in review.left]
    assert reasons == [SKIPPED, SKIPPED, SKIPPED, NOT_REVIEWED, NOT_REVIEWED, NOT_REVIEWED]
    assert review.quit and not any(review.accepted.values())


def test_a_change_another_change_makes_is_not_asked_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """aiofiles rewrites the block's ``json.load(f)`` itself: one question, and ``y`` to
    it gives what plain ``fix`` writes; after ``n`` the ``json.load`` is offered alone."""
    from asyncify.config import Config
    from asyncify.fixer import run_fix

    (tmp_path / "requirements.txt").write_text("aiofiles\n")
    (tmp_path / "load.py").write_text(
        "import json\n\n\nasync def load(p):\n    with open(p) as f:\n        return json.load(f)\n"
    )
    monkeypatch.chdir(tmp_path)
    result = run_fix([Path("load.py")], Config(cache=False), jobs=1)
    (file_fix,) = result.files
    assert len(file_fix.first_pass) == 2 and len(file_fix.absorbed) == 1

    def asked(answers: list[str]) -> tuple[int, str]:
        console = Console(file=io.StringIO(), width=200)
        review = run_review(result.files, console, lambda: answers.pop(0) if answers else None)
        applied, _ = apply_review(result.files, review)
        text = applied[0][1].source if applied else ""
        return console.file.getvalue().count("Apply this change"), text  # type: ignore[attr-defined]

    questions, text = asked(["y", "y"])
    assert questions == 1 and text == file_fix.text
    questions, text = asked(["n", "y"])
    assert questions == 2 and "await asyncio.to_thread(json.load, f)" in text
