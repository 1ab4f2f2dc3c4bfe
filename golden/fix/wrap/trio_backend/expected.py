import functools

import trio
import requests


async def fetch(url):
    page = (
        await trio.to_thread.run_sync(functools.partial(requests.get, url, timeout=5))
    ).text
    await trio.to_thread.run_sync(requests.head, url)
    return page
