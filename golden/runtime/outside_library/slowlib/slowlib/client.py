"""Every call paces itself with time.sleep and waits on a blocking socket."""

from __future__ import annotations

import socket
import time

PACE_SECONDS = 0.01


def _pace() -> None:
    time.sleep(PACE_SECONDS)


def _exchange(address: tuple[str, int], request: str) -> str:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.connect(address)
        sock.sendall(request.encode("ascii"))
        data = b""
        while not data.endswith(b"\n"):
            chunk = sock.recv(64)
            if not chunk:
                break
            data += chunk
    finally:
        sock.close()
    return data.decode("ascii").strip()


def fetch_quote(address: tuple[str, int], symbol: str) -> int:
    """The price of ``symbol`` in cents."""
    _pace()
    return int(_exchange(address, f"QUOTE {symbol}\n"))


class QuoteClient:
    def __init__(self, address: tuple[str, int]) -> None:
        self.address = address

    def quote(self, symbol: str) -> int:
        _pace()
        return int(_exchange(self.address, f"QUOTE {symbol}\n"))


async def refresh_async(address: tuple[str, int]) -> str:
    """Looks async, but paces itself with a blocking sleep before the request."""
    _pace()
    return _exchange(address, "REFRESH\n")
