from asyncify.rules.base import Rule


class BlockingSocket(Rule):
    """A blocking socket call or DNS lookup made on the event loop.

    ## What it finds
    Calls in an `async def` to `socket.create_connection`, to the resolver functions
    `socket.getaddrinfo`, `gethostbyname`, `gethostbyname_ex`, `gethostbyaddr`,
    `getnameinfo` and `getfqdn`, to the `socket.socket` methods that wait on the
    network (`connect`, `accept`, `recv`, `recv_into`, `recvfrom`, `send`, `sendall`,
    `sendto`, `sendfile`, ...), to the same methods and `do_handshake`, `read`,
    `write`, `unwrap` on `ssl.SSLSocket`, and to `ssl.get_server_certificate`.
    `ssl.SSLContext.wrap_socket` is reported with confidence "likely": it performs the
    TLS handshake only for a connected socket.

    ## Why it is a problem
    A socket in blocking mode (the default) waits for the peer: a `recv` for data that
    may never come, a `connect` for the TCP handshake. DNS lookups go through the
    system resolver and can take seconds. The event loop waits with them.

    ## Fix
    `wrap` (default): `await asyncio.to_thread(sock.recv, 1024)`
    (`anyio.to_thread.run_sync` / `trio.to_thread.run_sync` in anyio/trio projects).
    Not automated, and better for real protocols: asyncio streams
    (`asyncio.open_connection`), `loop.sock_recv`/`sock_sendall` on a non-blocking
    socket, `await loop.getaddrinfo(...)` for DNS, or anyio's `connect_tcp`.

    ## Fix safety
    Safe for a socket used by one task. When several tasks share a socket, wrapped
    calls can now overlap in two threads and interleave their data; guard the socket
    with an `asyncio.Lock`. A socket already set non-blocking (`setblocking(False)`)
    does not block: suppress those findings with `# noqa: AFY131`.
    `ssl.SSLContext.wrap_socket` findings (confidence "likely") are fixed only with
    `--unsafe-fixes`.
    """

    code = "AFY131"
    name = "blocking-socket"
    message = "`{call}` waits on the network on the event loop"
    INVALID = (
        """\
import socket


async def resolve(host):
    return socket.gethostbyname(host)
""",
    )
    VALID = (
        """\
import asyncio


async def resolve(host):
    loop = asyncio.get_running_loop()
    return await loop.getaddrinfo(host, None)
""",
    )
