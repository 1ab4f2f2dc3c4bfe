"""AFY130 blocking-http through client objects: any method of a sync client but the ones
that only build objects, responses that stream their body, urllib3 pools, httpx2.

Golden detection file: each expected finding is marked at the end of its line.
"""

from typing import Optional

import httpx
import httpx2
import requests
import urllib3
from urllib3.poolmanager import PoolManager


async def sessions(session: Optional[requests.Session], url: str) -> None:
    session.patch(url)  # error: AFY130
    session.mount("https://", requests.adapters.HTTPAdapter())
    session.close()
    response = requests.get(url, stream=True)  # error: AFY130
    for chunk in response.iter_content(1024):  # error: AFY130
        del chunk
    response.json()


async def clients(url: str, other: httpx.Client | None = None) -> None:
    client = httpx.Client()
    request = client.build_request("GET", url)
    client.send(request)  # error: AFY130
    other.anything()  # error: AFY130
    with client.stream("GET", url) as streamed:  # error: AFY130
        for line in streamed.iter_lines():  # error: AFY130
            del line
    client.close()


async def next_generation(url: str, client: httpx2.Client) -> None:
    httpx2.get(url)  # error: AFY130
    client.post(url, json={})  # error: AFY130


async def pools(url: str, managed: PoolManager, pool: urllib3.HTTPSConnectionPool) -> bytes:
    managed.urlopen("GET", url)  # error: AFY130
    managed.connection_from_url(url)
    response = pool.request("GET", "/", preload_content=False)  # error: AFY130
    return response.read()  # error: AFY130


glob_client = httpx.Client()


async def global_client(url: str) -> None:
    glob_client.get(url)  # error: AFY130


def sync_code(url: str) -> None:
    glob_client.get(url)
