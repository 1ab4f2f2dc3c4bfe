async def slurp(p):
    return open(p).read()
