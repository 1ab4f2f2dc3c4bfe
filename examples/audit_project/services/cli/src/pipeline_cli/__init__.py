"""Command-line front end of the example pipeline."""
