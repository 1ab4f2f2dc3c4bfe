async def count(path):
    n = 0
    with open(path) as f:
        for line in f:
            if line.strip():
                n += 1
        words = [w for line in f for w in line.split()]
    return n, words
