"""Chains that cannot run whole in a lambda: each blocking call is wrapped on its own."""


async def locate(p):
    return p


async def load(p):
    return open(q := p + ".txt").read(), q  # the lambda would bind q in its own scope


async def load_located(p):
    return open(await locate(p)).read()  # an await cannot go into a lambda
