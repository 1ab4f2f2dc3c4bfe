from app import db as db_module
from app import shared_db
from app.db import Registry, cache, db, maybe


class Handlers:
    registry = Registry()

    async def on_list(self) -> list[str]:
        return db.list_items()

    async def on_reexport(self) -> list[str]:
        return shared_db.list_items()

    async def on_module(self) -> list[str]:
        return db_module.db.list_items()

    async def on_class_attribute(self) -> None:
        Handlers.registry.load()
        self.registry.load()

    async def on_annotated(self) -> None:
        cache.warm()

    async def on_ping(self) -> bool:
        return db.ping()

    async def on_conflict(self) -> None:
        maybe.list_items()


async def rebound() -> None:
    db = object()
    db.list_items()
