"""AFY190 through extra-blocking-classes and patterns in extra-blocking-calls.

Golden detection file: each expected finding is marked at the end of its line.
`vendor` and `legacy` are third-party libraries (not part of this project).
"""

import legacy
import vendor
from legacy.reports import render


class Service:
    def __init__(self) -> None:
        self.client = vendor.SyncClient()

    async def load(self, key: str) -> bytes:
        return self.client.download(key)  # error: AFY190


async def pooled(pool: vendor.Pool | None, key: str) -> None:
    pool.size()
    pool.checkout(key)  # error: AFY190


async def module_pattern(name: str) -> str:
    legacy.connect(name)  # error: AFY190
    return render(name)  # error: AFY190


async def any_receiver(store) -> list:  # type: ignore[no-untyped-def]
    return store.fetch_all()  # error: AFY190


async def not_declared(client: vendor.AsyncClient, store) -> None:  # type: ignore[no-untyped-def]
    await client.download("k")
    store.fetch_one()
