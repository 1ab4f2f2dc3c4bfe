import asyncio
import os


async def outer(paths):
    key = lambda p: os.path.getsize(p)
    total = sum(os.path.getsize(p) for p in paths)
    firsts = [x for x in (p for p in await asyncio.to_thread(os.listdir, "."))]

    def helper(p, size=os.path.getsize("x")):
        return os.path.getsize(p)

    @decorate(os.getcwd())
    async def inner():
        pass

    class Local:
        cwd = os.getcwd()

    return key, total, firsts, helper, inner, Local


cwd = os.getcwd()
