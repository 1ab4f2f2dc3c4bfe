from app.compat import pause, quiet, settle
from app.store import Store, reload


async def handler(store: Store) -> None:
    pause(0.5)
    settle()
    quiet()
    store.flush()
    store.sync()
    reload()
