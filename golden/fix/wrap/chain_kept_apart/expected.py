"""Chains that cannot run whole in a lambda: each blocking call is wrapped on its own."""

import asyncio


async def locate(p):
    return p


async def load(p):
    return await asyncio.to_thread(
        (await asyncio.to_thread(open, q := p + ".txt")).read
    ), q  # the lambda would bind q in its own scope


async def load_located(p):
    return await asyncio.to_thread(
        (await asyncio.to_thread(open, await locate(p))).read
    )  # an await cannot go into a lambda
