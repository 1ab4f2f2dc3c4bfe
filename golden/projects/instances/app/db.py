import sqlite3
import time
from pathlib import Path


class DB:
    def __init__(self) -> None:
        self.path = Path("items.db")

    def list_items(self) -> list[str]:
        return self.path.read_text().splitlines()

    def ping(self) -> bool:
        return True


class Registry:
    def load(self) -> None:
        time.sleep(1)


class Cache:
    def warm(self) -> None:
        sqlite3.connect("cache.db")


db = DB()
cache: Cache
maybe = DB()
maybe = None
