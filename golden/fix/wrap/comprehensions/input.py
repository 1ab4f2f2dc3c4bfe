import os


async def sizes(paths):
    listed = [os.path.getsize(p) for p in paths]
    unique = {os.path.realpath(p) for p in paths}
    by_name = {p: os.stat(p) for p in paths if os.path.exists(p)}
    return listed, unique, by_name
