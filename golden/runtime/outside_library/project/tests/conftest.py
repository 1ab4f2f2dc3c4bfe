from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator

import pytest

PRICES = {"ACME": 1234, "INITECH": 250}


class QuoteHandler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        request = self.rfile.readline().decode("ascii").split()
        if request == ["REFRESH"]:
            reply = "OK"
        else:
            reply = str(PRICES[request[1]])
        self.wfile.write(reply.encode("ascii") + b"\n")


@pytest.fixture
def quote_server() -> Iterator[tuple[str, int]]:
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), QuoteHandler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        host, port = server.server_address[:2]
        yield (str(host), int(port))
        server.shutdown()
