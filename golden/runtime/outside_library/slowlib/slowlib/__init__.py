"""A small blocking client for a line-based quote server (stands in for a vendored SDK)."""

from slowlib.client import QuoteClient, fetch_quote, refresh_async

__all__ = ["QuoteClient", "fetch_quote", "refresh_async"]
