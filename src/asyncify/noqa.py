"""``check --add-noqa``: a ``# asyncify: ignore[CODE]`` comment on the line of each finding.

For teams that prefer comments to a baseline file. The comment goes at the end of the
line where the call starts (else the line where it ends: the suppression parser,
``scan.suppression``, reads both), merged into an ``asyncify: ignore[...]`` comment that
is already there or after any other comment (``# noqa: E501  # asyncify: ignore[AFY110]``).

Safe by construction and checked anyway:

- The edit is made with libcst on the comment slot of a line *end*: a place where
  Python allows a comment. A line that ends inside a string (a call within a multi-line
  f-string) or with a backslash continuation has no such slot, and a comment there would
  change the code or break it: that finding is left alone and reported, with the reason.
- Every other byte stays as it was (libcst round-trips the file; encoding, BOM and line
  endings are kept by the writer), and the result must parse to the same syntax tree as
  the original and suppress exactly the findings it was meant to, or the file is not
  written.
- Files are written atomically (``asyncify.write``), never over a file changed since it
  was read. A second run finds nothing to suppress, so it changes nothing.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from asyncify.findings import Finding
from asyncify.parsing import parse_module
from asyncify.scan.source import SourceError, SourceFile, read_source
from asyncify.scan.suppression import is_suppressed, parse_suppressions
from asyncify.write import Written, write_files

_OURS = re.compile(r"^#\s*asyncify:\s*ignore\[(?P<codes>[^\]]*)\]\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A finding (or a whole file's) that got no comment, and why."""

    path: str
    line: int
    reason: str


@dataclass
class NoqaResult:
    """How many comments were written (and findings they cover) in how many files."""

    findings: int = 0
    comments: int = 0
    files: int = 0
    skipped: list[Skipped] = field(default_factory=list)


def add_noqa(findings: Sequence[Finding], root: Path | None = None) -> NoqaResult:
    """Suppress every finding with a comment; files are edited in memory, then written
    as one change set, nothing outside ``root`` (the project root), as ``fix`` does."""
    result = NoqaResult()
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        by_file.setdefault(finding.path, []).append(finding)
    staged: list[tuple[SourceFile, str, int, int]] = []
    for path, found in sorted(by_file.items()):
        try:
            source = read_source(Path(path))
        except SourceError as error:
            result.skipped.append(Skipped(path, 0, str(error)))
            continue
        edited = comment_file(source.text, found, path)
        result.skipped += edited.skipped
        if edited.text != source.text:
            staged.append((source, edited.text, edited.findings, edited.comments))
    written = write_files([(source, text) for source, text, _, _ in staged], root)
    for (source, _, covered, comments), outcome in zip(staged, written.results, strict=True):
        if isinstance(outcome, Written):
            result.files += 1
            result.findings += covered
            result.comments += comments
        else:
            result.skipped.append(Skipped(str(source.path), 0, f"not written: {getattr(outcome, 'reason', outcome)}"))
    return result


@dataclass
class EditedFile:
    text: str
    findings: int = 0
    comments: int = 0
    skipped: list[Skipped] = field(default_factory=list)


def comment_file(text: str, findings: Sequence[Finding], path: str = "<string>") -> EditedFile:
    """``text`` with a suppression comment for each of ``findings`` that can take one."""
    try:
        wrapper = MetadataWrapper(cst.parse_module(text))
    except cst.ParserSyntaxError as error:
        reason = f"libcst cannot parse the file ({error.message}): no comment added"
        return EditedFile(text, skipped=[Skipped(path, f.span.line, reason) for f in findings])
    ends = _LineEnds()
    wrapper.visit(ends)
    codes_at: dict[int, set[str]] = {}
    placed: list[tuple[Finding, int]] = []
    skipped: list[Skipped] = []
    for finding in findings:
        line = next((n for n in (finding.span.line, finding.span.end_line) if n in ends.by_line), None)
        if line is None:
            skipped.append(Skipped(path, finding.span.line, _NO_SLOT))
            continue
        codes_at.setdefault(line, set()).add(finding.code)
        placed.append((finding, line))
    if not placed:
        return EditedFile(text, skipped=skipped)
    targets = {id(ends.by_line[line]): codes for line, codes in codes_at.items()}
    new_text = wrapper.module.visit(_Commenter(targets)).code
    problem = _verify(text, new_text, placed, path)
    if problem is not None:
        return EditedFile(text, skipped=[*skipped, *(Skipped(path, f.span.line, problem) for f, _ in placed)])
    return EditedFile(new_text, len(placed), len(codes_at), skipped)


_NO_SLOT = (
    "the call's lines end inside a string or with a backslash continuation, where a comment would change"
    " the code: suppress it by hand or use a baseline"
)


class _LineEnds(cst.CSTVisitor):
    """The end of every line where Python allows a comment, by line number."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self) -> None:
        super().__init__()
        self.by_line: dict[int, cst.TrailingWhitespace] = {}

    def visit_TrailingWhitespace(self, node: cst.TrailingWhitespace) -> None:
        self.by_line.setdefault(self.get_metadata(PositionProvider, node).start.line, node)


class _Commenter(cst.CSTTransformer):
    def __init__(self, targets: dict[int, set[str]]) -> None:
        super().__init__()
        self.targets = targets

    def leave_TrailingWhitespace(
        self, original_node: cst.TrailingWhitespace, updated_node: cst.TrailingWhitespace
    ) -> cst.TrailingWhitespace:
        codes = self.targets.get(id(original_node))
        if codes is None:
            return updated_node
        whitespace = updated_node.whitespace
        existing = updated_node.comment.value if updated_node.comment is not None else None
        if existing is None:
            comment = directive(codes)
            if not whitespace.value:
                whitespace = cst.SimpleWhitespace("  ")
        else:
            ours = _OURS.match(existing)
            if ours is not None:
                merged = codes | {c.strip().upper() for c in re.split(r"[\s,]+", ours.group("codes")) if c.strip()}
                comment = directive(merged)
            else:
                comment = f"{existing}  {directive(codes)}"
        return updated_node.with_changes(whitespace=whitespace, comment=cst.Comment(comment))


def directive(codes: set[str]) -> str:
    """``# asyncify: ignore[AFY101, AFY110]``."""
    return f"# asyncify: ignore[{', '.join(sorted(codes))}]"


def _verify(old: str, new: str, placed: list[tuple[Finding, int]], path: str) -> str | None:
    """Why ``new`` must not be written, if it must not: a different program, or a
    comment that does not suppress what it was written for."""
    try:
        same = ast.dump(parse_module(old, path)) == ast.dump(parse_module(new, path))
    except SyntaxError as error:
        return f"the commented file would not parse ({error.msg}): not written"
    if not same:
        return "a comment would change the code: not written"
    suppressions = parse_suppressions(new)
    for finding, _ in placed:
        if not is_suppressed(suppressions, (finding.span.line, finding.span.end_line), (finding.code,)):
            return f"the comment would not suppress {finding.code} at line {finding.span.line}: not written"
    return None
