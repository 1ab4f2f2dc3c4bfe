from asyncify.rules.base import Rule


class BlockingHttp(Rule):
    """A synchronous HTTP request made on the event loop.

    ## What it finds
    Calls in an `async def` to synchronous HTTP clients: `requests.get`/`post`/.../
    `request` and the same methods plus `send` on `requests.Session`; sync `httpx`
    (`httpx.get`, ..., `httpx.stream`, and `httpx.Client` methods);
    `urllib.request.urlopen`, `urlretrieve` and `OpenerDirector.open`;
    `http.client.HTTPConnection`/`HTTPSConnection` `connect`, `request`, `send`,
    `endheaders`, `getresponse` and `HTTPResponse.read`; `urllib3.request` and the
    `request`/`urlopen` methods of urllib3's pool managers and connection pools.
    `httpx.AsyncClient` calls are awaited and never reported.

    ## Why it is a problem
    A request waits for DNS, the TCP and TLS handshakes, the server and the response
    body, from milliseconds to the full timeout (and `requests` has no timeout by
    default). The event loop, and every other request it was serving, waits with it.

    ## Fix
    `wrap` (default):
    `response = await asyncio.to_thread(requests.get, f"https://api.example.com/users/{user_id}", timeout=10)`
    (`anyio.to_thread.run_sync` / `trio.to_thread.run_sync` in anyio/trio projects).
    Not automated, and better for code making many requests: an async client
    (`httpx.AsyncClient`, `aiohttp`).

    ## Fix safety
    Safe for a single coroutine: its requests still run one after another. A
    `requests.Session`, `httpx.Client` or `http.client` connection shared by several
    tasks may now be used by two threads at once; `http.client` connections are not
    thread-safe, so guard shared ones with an `asyncio.Lock` or give each task its own.
    A request without a timeout can hold a worker thread forever, and the default
    executor has few threads: set a timeout. Cancelling the task does not cancel the
    request.
    """

    code = "AFY130"
    name = "blocking-http"
    message = "`{call}` makes a synchronous HTTP request on the event loop"
    noqa = ("ASYNC210", "ASYNC211", "ASYNC212")
    INVALID = (
        """\
import requests


async def fetch_user(user_id):
    response = requests.get(f"https://api.example.com/users/{user_id}", timeout=10)
    return response.json()
""",
    )
    VALID = (
        """\
import httpx


async def fetch_user(client: httpx.AsyncClient, user_id):
    response = await client.get(f"https://api.example.com/users/{user_id}")
    return response.json()
""",
    )
