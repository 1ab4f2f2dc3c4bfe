import json
import threading

lock = threading.Lock()


async def bad(path, store):
    with open(path) as f:
        data = parse(f)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(4096), b""):
            store.append(chunk)
    with open(path) as f:
        store.handle = f
    with open(path) as f:
        return f
    with open(path, "rb") as f:
        json.dump(data, f)
    with open(path) as f, lock:
        f.read()
    with open(path) as f:
        lines = list(line for line in f)
    return data, lines
