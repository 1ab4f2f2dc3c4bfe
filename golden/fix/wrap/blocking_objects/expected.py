"""Method calls on blocking objects: the bound method moves to the thread, the object
and its receiver expression stay where they are (subscripts and attributes of a client
do no I/O)."""

import asyncio
from typing import TextIO

import pymongo
import requests


class Repository:
    def __init__(self) -> None:
        self.client = pymongo.MongoClient()
        self.http = requests.Session()

    async def item(self, key: str) -> dict:
        found = await asyncio.to_thread(
            self.client["shop"]["items"].find_one, {"key": key}
        )
        if found is None:
            found = (
                await asyncio.to_thread(
                    self.http.get, f"https://api.example.com/items/{key}", timeout=5
                )
            ).json()
        return found


async def log(stream: TextIO, line: str) -> None:
    await asyncio.to_thread(stream.write, line + "\n")  # keep this comment
    await asyncio.to_thread(stream.flush)
