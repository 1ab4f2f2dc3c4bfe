async def save(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
