"""Reviewing planned fixes: diffs and patches, the interactive session, the summary."""
