"""Prices from the quote server, through `slowlib` (a client library outside this project)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from slowlib import QuoteClient, fetch_quote, refresh_async

Address = tuple[str, int]


@dataclass(frozen=True)
class Price:
    symbol: str
    cents: int


async def latest_price(address: Address, symbol: str) -> Price:
    cents = await asyncio.to_thread(
        fetch_quote, address, symbol
    )  # the project's only link to the blocking socket
    return Price(symbol, cents)


async def portfolio_value(client: QuoteClient, holdings: dict[str, int]) -> int:
    total = 0
    for symbol, count in sorted(holdings.items()):
        total += await asyncio.to_thread(client.quote, symbol) * count
    return total


async def refresh(address: Address) -> bool:
    return await refresh_async(address) == "OK"
