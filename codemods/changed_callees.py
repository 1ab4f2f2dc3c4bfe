"""The functions a twin or propagation changed for their async callers, as tests name them.

Plain data without libcst: ``asyncify.mock_targets`` lists the tests that patch these
names, ``asyncify.codemods.async_mocks`` rewrites the simple ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ChangedCallee:
    """A function whose async callers now await ``now`` (a twin, or itself renamed or not)."""

    module: str
    qualname: str
    now: str
    twin: bool = False

    @property
    def name(self) -> str:
        return self.qualname.rpartition(".")[2]

    @property
    def is_method(self) -> bool:
        return "." in self.qualname

    @property
    def owner(self) -> str:
        """The class of a method, else the module's last name."""
        head = self.qualname.rpartition(".")[0]
        return head.rpartition(".")[2] if head else self.module.rpartition(".")[2]

    @property
    def awaited(self) -> str:
        head = self.qualname.rpartition(".")[0]
        return f"{head}.{self.now}" if head else self.now

    def named_by(self, target: Sequence[str]) -> bool:
        """Whether the dotted ``target`` of a patch is this function or its class."""
        if not target:
            return False
        if target[-1] == self.name:
            # a module function is patched where it is defined or where it is imported
            return not self.is_method or (len(target) >= 2 and target[-2] == self.owner)
        return self.is_method and target[-1] == self.owner
