import hashlib


async def checksum(path):
    digest = None
    size = 0
    with open(path, "rb") as f:
        digest = hashlib.file_digest(f, "sha256").hexdigest()
        size = f.tell()
    return digest, size
