"""A records app: the report is re-exported at the package level."""

from app.report import build_report

__all__ = ["build_report"]
