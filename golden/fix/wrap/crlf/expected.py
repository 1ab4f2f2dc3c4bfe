"""A CRLF file."""
import asyncio
import os


async def remove(path):
    await asyncio.to_thread(os.remove, path)
