"""A Redis-backed task queue."""

import json

import redis


class TaskQueue:
    def __init__(self) -> None:
        self.redis = redis.Redis(host="localhost")

    def push(self, task: dict) -> None:
        self.redis.rpush("tasks", json.dumps(task))

    def key(self) -> str:
        return "tasks"
