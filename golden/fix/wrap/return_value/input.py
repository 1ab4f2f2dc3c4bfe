async def read(p):
    return p.read_bytes()


async def both(p):
    return p.read_bytes(), p.stat()
