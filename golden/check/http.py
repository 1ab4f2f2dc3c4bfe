"""AFY130 blocking-http: synchronous HTTP clients in async code.

Golden detection file: each expected finding is marked at the end of its line.
"""

import asyncio
import http.client
import urllib.request
import urllib.request as ureq
from http.client import HTTPConnection as Conn, HTTPResponse
from urllib.request import urlopen

import httpx
import requests
import requests as rq
import urllib3
from requests import Session, get as http_get

API = "https://api.example.com"


async def requests_module(token: str) -> dict:
    # `import requests`, `import requests as rq`, `from requests import get as http_get`
    user = requests.get(f"{API}/me", headers={"Authorization": token}).json()  # error: AFY130
    rq.post(f"{API}/events", json={"user": user})  # error: AFY130
    http_get(f"{API}/health")  # error: AFY130
    requests.request("DELETE", f"{API}/cache")  # error: AFY130
    return user


async def requests_sessions(session: Session) -> None:
    # a parameter annotated `Session`, and a local from the constructor
    session.put(f"{API}/state", data=b"")  # error: AFY130
    fresh = requests.Session()
    fresh.head(API)  # error: AFY130


async def requests_session_context() -> int:
    # the usual `with Session() as s:` form: `s` is the Session the constructor made
    with requests.Session() as s:
        return s.get(API).status_code  # error: AFY130


class ApiClient:
    def __init__(self) -> None:
        # an attribute assigned from a constructor in __init__
        self.session = requests.Session()

    async def fetch(self, path: str) -> bytes:
        return self.session.get(f"{API}/{path}").content  # error: AFY130


async def sync_httpx(url: str) -> str:
    # module functions and the sync Client
    httpx.get(url)  # error: AFY130
    client = httpx.Client(base_url=url)
    response = client.post("/items", json={})  # error: AFY130
    return response.text


async def urllib_forms(url: str) -> bytes:
    # `import urllib.request` attribute chain, alias, and `from ... import urlopen`
    with urllib.request.urlopen(url) as response:  # error: AFY130
        body = response.read()
    ureq.urlretrieve(url, "/tmp/download")  # error: AFY130
    return body + urlopen(url).read()  # error: AFY130


async def http_client(host: str) -> bytes:
    # a connection made by its constructor (`import http.client` and an alias)
    conn = http.client.HTTPSConnection(host)
    conn.request("GET", "/")  # error: AFY130
    response: HTTPResponse = conn.getresponse()  # error: AFY130
    plain = Conn(host)
    plain.connect()  # error: AFY130
    # the response read, typed by its annotation
    return response.read()  # error: AFY130


async def urllib3_pool(url: str) -> bytes:
    urllib3.request("GET", url)  # error: AFY130
    pool = urllib3.PoolManager()
    return pool.request("GET", url).data  # error: AFY130


async def executor_called_too_early(url: str) -> None:
    # requests.get(url) runs on the loop; its result is what gets passed
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, requests.get(url))  # error: AFY130
