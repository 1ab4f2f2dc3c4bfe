"""Core of the example pipeline."""
