"""Reporting: the ``Report`` (counters, exit codes) and one module per output format."""

from asyncify.report.output import OutputFormat, emit, render
from asyncify.report.report import ExitCode, Report, display_path

__all__ = ["ExitCode", "OutputFormat", "Report", "display_path", "emit", "render"]
