"""Reporting: the ``Report`` (counters, exit codes) and one module per output format."""

from asyncify.report.output import emit, render
from asyncify.report.report import ExitCode, Report, display_path
from asyncify.vocabulary import OutputFormat

__all__ = ["ExitCode", "OutputFormat", "Report", "display_path", "emit", "render"]
