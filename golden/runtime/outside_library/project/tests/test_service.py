"""The project's behaviour, through three ways of running async tests."""

from __future__ import annotations

import asyncio

import pytest
from slowlib import QuoteClient

from quotes.service import Price, latest_price, portfolio_value, refresh


def test_latest_price_with_asyncio_run(quote_server: tuple[str, int]) -> None:
    assert asyncio.run(latest_price(quote_server, "ACME")) == Price("ACME", 1234)


@pytest.mark.asyncio
async def test_latest_price_with_pytest_asyncio(quote_server: tuple[str, int]) -> None:
    assert await latest_price(quote_server, "INITECH") == Price("INITECH", 250)


@pytest.mark.anyio
async def test_portfolio_with_anyio(quote_server: tuple[str, int]) -> None:
    client = QuoteClient(quote_server)
    assert await portfolio_value(client, {"ACME": 2, "INITECH": 4}) == 2 * 1234 + 4 * 250


@pytest.mark.asyncio
async def test_refresh(quote_server: tuple[str, int]) -> None:
    assert await refresh(quote_server)
