"""A scripted TLS listener for client tests: what a broken network or a gateway does.

The simulator answers like PBS; a :class:`RawServer` plays any bytes a test scripts.
Import the ``tls_files`` and ``server`` fixtures into a test module to use it.
"""

import socket
import threading

import pytest

from saltext.pbs.simulator import certs
from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import config as pbs_config

TOKEN_ID = "root@pam!salt"
TOKEN_SECRET = "5f0c7a8e-3b1d-4c2e-9a6f-0d1e2f3a4b5c"


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    cert_file, key_file = certs.ensure_certificate(str(tmp_path_factory.mktemp("raw-tls")))
    with open(cert_file, encoding="ascii") as fh:
        fingerprint = certs.fingerprint(fh.read())
    return cert_file, key_file, fingerprint


class RawServer:
    """Accepts connections on 127.0.0.1 and hands each to ``handler(server, sock)``.

    ``sock`` is the plain TCP socket; handlers call :meth:`tls` to do the handshake.
    ``release`` is set at the end of the test so handlers that hang return.
    """

    def __init__(self, tls_context):
        self.tls_context = tls_context
        self.handler = None
        self.release = threading.Event()
        self.requests = []  # request lines as received
        self.bodies = []  # request bodies as received
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self.url = f"https://127.0.0.1:{self.port}"
        self._threads = []
        self._accept_thread = threading.Thread(target=self._accept, daemon=True)
        self._accept_thread.start()

    def _accept(self):
        while not self.release.is_set():
            try:
                sock, _ = self.listener.accept()
            except (TimeoutError, OSError):
                continue
            thread = threading.Thread(target=self._serve, args=(sock,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, sock):
        try:
            self.handler(self, sock)
        except OSError:
            pass  # the client gave up and closed its end: that is what the test wants
        finally:
            sock.close()

    def tls(self, sock):
        sock.settimeout(5)
        return self.tls_context.wrap_socket(sock, server_side=True)

    def read_request(self, sock):
        """Read one request (head and Content-Length body); return the head as text."""
        data = b""
        while b"\r\n\r\n" not in data:
            piece = sock.recv(65536)
            if not piece:
                return ""
            data += piece
        head, _, body = data.partition(b"\r\n\r\n")
        head = head.decode("latin-1")
        length = 0
        for line in head.split("\r\n")[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        while len(body) < length:
            piece = sock.recv(65536)
            if not piece:
                break
            body += piece
        self.requests.append(head.split("\r\n", 1)[0])
        self.bodies.append(body)
        return head

    def hang(self):
        self.release.wait(30)

    def close(self):
        self.release.set()
        self.listener.close()
        self._accept_thread.join(2)
        for thread in self._threads:
            thread.join(2)


@pytest.fixture
def server(tls_files):
    cert_file, key_file, _ = tls_files
    srv = RawServer(certs.server_context(cert_file, key_file))
    yield srv
    srv.close()


def make_client(server, tls_files, timeout=0.5, **overrides):
    block = {
        "url": server.url,
        "fingerprint": tls_files[2],
        "token_id": TOKEN_ID,
        "token_secret": TOKEN_SECRET,
        "timeout": timeout,
        **overrides,
    }
    block = {key: value for key, value in block.items() if value is not None}
    cli = pbs_client.PbsClient(pbs_config.resolve(lambda key, default=None, merge=None: block, {}))
    cli.sleeps = []
    cli.sleep = cli.sleeps.append
    return cli


def answer(status_line, headers, body):
    """Bytes of a whole HTTP/1.1 answer."""
    head = [f"HTTP/1.1 {status_line}", *headers, f"Content-Length: {len(body)}", "", ""]
    return "\r\n".join(head).encode() + body
