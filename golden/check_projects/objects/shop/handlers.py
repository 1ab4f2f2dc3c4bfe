"""Async handlers calling the project's blocking wrappers."""

from shop.db import db
from shop.tasks import TaskQueue

queue = TaskQueue()


async def list_items(category: str) -> list[dict]:
    return db.find_items(category)  # error: AFY200


async def enqueue(task: dict) -> str:
    queue.push(task)  # error: AFY200
    db.collection_name()
    return queue.key()


async def price(sku: str) -> float:
    from shop import clients
    from shop.clients import http

    http.head("https://prices.example.com")  # error: AFY130
    clients.http.get("https://prices.example.com")  # error: AFY130
    return clients.fetch_price(sku)  # error: AFY200
