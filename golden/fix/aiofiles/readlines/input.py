async def lines(path):
    with open(path) as fh:
        first = fh.readline().strip()
        rest = fh.readlines()
    return first, rest
