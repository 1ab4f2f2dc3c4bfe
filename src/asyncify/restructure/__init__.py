"""Phase 1 of ``fix --strategy twin|propagate``, the rewriting half: apply a structural
plan (``asyncify.structural``) to the modules' texts with libcst.

* ``apply_structural(plan, texts)`` -> ``StructuralOutcome``: the new texts,
  all-or-nothing per connected component.
* ``run_structural(summaries, findings, config)``: plan and apply, reading texts from disk.
* ``component_texts(component, texts)``: one applied component's files on their own
  (what ``fix -i`` shows before asking about it).

Kept apart from ``asyncify.structural`` (the analysis, which ``check`` also uses to say
which strategies apply) so that ``check`` never imports a rewriting module.
"""

from asyncify.restructure.apply import apply_structural, component_texts, run_structural

__all__ = ["apply_structural", "component_texts", "run_structural"]
