"""Core of the example pipeline (the seed audit's violation 5, copied from examples/audit_project)."""
