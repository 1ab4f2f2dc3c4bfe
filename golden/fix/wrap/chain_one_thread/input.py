"""A chain of blocking calls (the handle open() returns, then its read) runs in one thread."""

import json
import os


async def read_all(p, name):
    text = open(p).read()
    lines = open(p).read().splitlines()
    data = json.loads(open(os.path.join(p, name)).read())  # the argument stays as it is
    return text, lines, data
