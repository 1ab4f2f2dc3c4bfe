"""A project DB class over pymongo, and a module-level instance of it."""

from pymongo import MongoClient


class DB:
    def __init__(self, url: str, name: str) -> None:
        self.client = MongoClient(url)
        self.name = name

    def find_items(self, category: str) -> list[dict]:
        return list(self.client[self.name]["items"].find({"category": category}))

    def collection_name(self) -> str:
        return f"{self.name}.items"


db = DB("mongodb://localhost", "shop")
