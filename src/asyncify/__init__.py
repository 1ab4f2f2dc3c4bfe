"""asyncify: find blocking synchronous work inside async code, and rewrite it."""

__version__ = "0.1.0"
