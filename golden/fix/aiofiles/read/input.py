async def load(path):
    with open(path) as f:
        text = f.read()
    return text
