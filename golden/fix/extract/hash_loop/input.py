import hashlib


async def digest(path):
    h = hashlib.sha256()
    # Read in chunks: the file may be large.
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(4096), b""):
            h.update(chunk)
    return h.hexdigest()
