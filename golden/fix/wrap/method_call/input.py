async def save(store, item):
    store.put(item)
    store.backend.flush()
