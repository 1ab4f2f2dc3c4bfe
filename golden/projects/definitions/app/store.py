"""A method redefined later in its class body: only the later definition exists."""

import time


class Store:
    def flush(self) -> None:
        time.sleep(1)

    def flush(self) -> None:  # noqa: F811  (the no-op that replaced the blocking flush)
        return None

    def sync(self) -> None:
        return None

    def sync(self) -> None:  # noqa: F811
        time.sleep(1)


def reload() -> None:
    time.sleep(1)


def reload() -> None:  # noqa: F811
    return None
