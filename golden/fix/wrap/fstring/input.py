async def describe(p):
    return f"{p.name}: {p.read_text()!r} ({p.stat().st_size} bytes)"
