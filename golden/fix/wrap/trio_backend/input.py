import trio
import requests


async def fetch(url):
    page = requests.get(url, timeout=5).text
    requests.head(url)
    return page
