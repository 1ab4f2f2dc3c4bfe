"""A CRLF file."""
import os


async def remove(path):
    os.remove(path)
