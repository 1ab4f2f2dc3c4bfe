"""Reporting: the ``Report`` (counters, exit codes) and one module per output format.

The package itself imports only the ``Report``; the formats (and rich) are imported by
``asyncify.report.output`` when a report is rendered, so that ``asyncify rules`` and
``explain`` do not pay for them.
"""

from asyncify.report.report import ExitCode, Report, display_path
from asyncify.vocabulary import OutputFormat

__all__ = ["ExitCode", "OutputFormat", "Report", "display_path"]
