"""Whole-project analysis: index, call resolution, blocking fixpoint, findings."""
