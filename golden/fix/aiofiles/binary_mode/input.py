import hashlib


async def digest(path, target):
    with open(path, mode="rb") as f:
        blob = f.read()
    with open(target, "wb") as out:
        out.write(hashlib.sha256(blob).digest())
