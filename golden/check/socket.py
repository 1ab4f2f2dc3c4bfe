"""AFY131 blocking-socket: blocking socket calls and DNS lookups in async code.

Golden detection file: each expected finding is marked at the end of its line.
"""

import socket
import socket as so
import ssl
from socket import create_connection, gethostbyname as resolve


async def dns(host: str) -> list[str]:
    # `import socket`, alias, and `from socket import gethostbyname as resolve`
    infos = socket.getaddrinfo(host, 443)  # error: AFY131
    address = resolve(host)  # error: AFY131
    so.gethostbyaddr(address)  # error: AFY131
    return [info[4][0] for info in infos] + [socket.getfqdn()]  # error: AFY131


async def annotated_socket(sock: socket.socket, payload: bytes) -> bytes:
    # a parameter annotated `socket.socket`
    sock.connect(("example.com", 80))  # error: AFY131
    sock.sendall(payload)  # error: AFY131
    return sock.recv(4096)  # error: AFY131


async def constructed_socket(payload: bytes) -> None:
    # a socket made by its class, `socket.socket(...)` (the class name is lower case)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.connect(("example.com", 80))  # error: AFY131
    sock.send(payload)  # error: AFY131


async def create_connection_result(host: str) -> bytes:
    # create_connection blocks, and returns a socket.socket
    conn = create_connection((host, 80), timeout=5)  # error: AFY131
    conn.sendall(b"PING\r\n")  # error: AFY131
    return conn.recv(64)  # error: AFY131


async def tls(sock: socket.socket, host: str) -> bytes:
    # wrap_socket does the handshake only on a connected socket: lower confidence
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    tls_sock = context.wrap_socket(sock, server_hostname=host)  # error: AFY131 likely
    ssl.get_server_certificate((host, 443))  # error: AFY131
    return tls_sock.recv(1024)  # error: AFY131


async def annotated_tls(tls_sock: ssl.SSLSocket) -> None:
    tls_sock.do_handshake()  # error: AFY131
    tls_sock.sendall(b"hello")  # error: AFY131


class Listener:
    def __init__(self, server: socket.socket) -> None:
        self.server = server

    async def next_client(self) -> socket.socket:
        client, _address = self.server.accept()  # error: AFY131
        return client
