"""The client against a scripted TLS server: hangs, trickles, cut-off and malformed bodies.

The simulator answers like PBS; these cases are what a broken network or something that is
not PBS does, so a small listener on 127.0.0.1 plays them byte by byte. The client's
``sleep`` between retries is a recorder: no test waits for a backoff.
"""

import gzip
import time
import zlib

import pytest
import requests
import urllib3

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import errors
from saltext.pbs.utils import transport
from tests.unit.utils.raw_server import answer
from tests.unit.utils.raw_server import make_client
from tests.unit.utils.raw_server import server  # pylint: disable=unused-import
from tests.unit.utils.raw_server import tls_files  # pylint: disable=unused-import

# ---------------------------------------------------------------------------- timeouts


def never_speaks_tls(server, sock):
    server.hang()


def takes_the_request_and_hangs(server, sock):
    sock = server.tls(sock)
    server.read_request(sock)
    server.hang()


def test_server_that_never_completes_tls_is_a_connect_timeout(server, tls_files):
    server.handler = never_speaks_tls
    cli = make_client(server, tls_files)
    started = time.monotonic()
    with pytest.raises(errors.PbsConnectionError) as excinfo:
        cli.get("/version")
    elapsed = time.monotonic() - started
    message = str(excinfo.value)
    assert excinfo.value.reason == "timeout"
    assert message == (
        f"PBS at {server.url} timed out (connecting, timeout 0.5s, 3 attempts) (GET /version)"
    )
    assert cli.sleeps == [0.5, 1.0]  # retried like any read
    assert elapsed < 3 * 0.5 + 1.5  # three attempts of the configured timeout, no more


def test_write_that_never_connected_does_not_claim_a_change(server, tls_files):
    server.handler = never_speaks_tls
    cli = make_client(server, tls_files)
    with pytest.raises(errors.PbsConnectionError) as excinfo:
        cli.put("/config/datastore/store1", {"comment": "x"})
    assert str(excinfo.value) == (
        f"PBS at {server.url} timed out (connecting, timeout 0.5s) "
        "(PUT /config/datastore/store1)"
    )
    assert cli.sleeps == []  # a write is never retried


@pytest.mark.parametrize(
    "method,path,note",
    [
        ("GET", "/version", False),
        ("POST", "/access/ticket", False),
        ("PUT", "/config/datastore/store1", True),
        ("DELETE", "/config/datastore/store1", True),
        ("POST", "/config/datastore", True),
    ],
)
def test_silent_answer_names_the_answer_and_a_possible_change_only_for_writes(
    server, tls_files, method, path, note
):
    server.handler = takes_the_request_and_hangs
    cli = make_client(server, tls_files, timeout=0.4)
    cli.read_attempts = 1
    started = time.monotonic()
    with pytest.raises(errors.PbsConnectionError) as excinfo:
        cli.request(method, path, data={"comment": "x"} if method != "GET" else None)
    elapsed = time.monotonic() - started
    message = str(excinfo.value)
    assert message.startswith(f"PBS at {server.url} timed out (answer, timeout 0.4s)")
    assert message.endswith(f"({method} {path})")
    assert ("the change may or may not have been applied" in message) is note
    assert server.requests and server.requests[0].startswith(f"{method} /api2/json{path}")
    assert elapsed < 0.4 + 1.0


def test_login_that_gets_no_answer_does_not_claim_a_change(server, tls_files):
    server.handler = takes_the_request_and_hangs
    cli = make_client(server, tls_files, token_id=None, token_secret=None,
                      username="root@pam", password="s3cret-pass")
    with pytest.raises(errors.PbsConnectionError) as excinfo:
        cli.get("/version")
    message = str(excinfo.value)
    assert message == (
        f"PBS at {server.url} timed out (answer, timeout 0.5s, 3 attempts) (POST /access/ticket)"
    )
    assert len(server.requests) == 3 and cli.sleeps == [0.5, 1.0]


def test_a_per_call_timeout_is_the_one_named(server, tls_files):
    server.handler = takes_the_request_and_hangs
    cli = make_client(server, tls_files, timeout=30)
    cli.read_attempts = 1
    with pytest.raises(errors.PbsConnectionError, match=r"timed out \(answer, timeout 0.3s\)"):
        cli.request("GET", "/version", timeout=0.3)


def test_connecting_gets_the_whole_configured_timeout(server, tls_files):
    """A 30 s timeout is not cut to a shorter connect limit (seen: a 10 s cap)."""
    cli = make_client(server, tls_files, timeout=30)
    cli.read_attempts = 1
    seen = []

    def request(*args, **kwargs):
        seen.append(kwargs["timeout"])
        raise requests.exceptions.ConnectTimeout("no connection")

    cli.session.request = request
    with pytest.raises(errors.PbsConnectionError, match=r"connecting, timeout 30s"):
        cli.get("/version")
    (timeout,) = seen
    if isinstance(timeout, urllib3.Timeout):
        connect = timeout.connect_timeout
        assert timeout.total is None or timeout.total == 30
    else:
        connect = timeout[0] if isinstance(timeout, tuple) else timeout
    assert connect == 30


# ---------------------------------------------------------------------------- broken bodies


def answers(raw_bytes, then_hang=False):
    """A handler that reads the request, sends ``raw_bytes`` and closes (or hangs)."""

    def handler(server, sock):
        sock = server.tls(sock)
        server.read_request(sock)
        sock.sendall(raw_bytes)
        if then_hang:
            server.hang()

    return handler


def trickling(body, headers=()):
    """A handler that sends the headers at once, then ``body`` a byte every 0.1 s."""
    head = answer("200 OK", ["Content-Type: application/json", *headers], b"")

    def handler(server, sock):
        sock = server.tls(sock)
        server.read_request(sock)
        sock.sendall(head.replace(b"Content-Length: 0", f"Content-Length: {len(body)}".encode()))
        for byte in body:
            if server.release.wait(0.1):
                return
            sock.sendall(bytes([byte]))

    return handler


# Dynamic Huffman tables come first: dozens of bytes before anything decodes.
_STORES = ",".join(f'{{"name": "s{n:03d}", "path": "/mnt/s{n * 7919 % 1000}"}}' for n in range(40))


@pytest.mark.parametrize(
    "body,headers",
    [
        (b'{"data": [' + b" " * 389 + b"]}", ()),
        # decompressing while reading would wait past the deadline for decodable bytes
        (zlib.compress(('{"data": [' + _STORES + "]}").encode(), 9), ["Content-Encoding: deflate"]),
    ],
    ids=["plain", "deflate"],
)
def test_a_trickling_body_ends_at_the_timeout(server, tls_files, body, headers):
    server.handler = trickling(body, headers)
    cli = make_client(server, tls_files, timeout=0.6)
    cli.read_attempts = 1
    started = time.monotonic()
    with pytest.raises(errors.PbsConnectionError) as excinfo:
        cli.get("/config/datastore")
    elapsed = time.monotonic() - started
    assert str(excinfo.value) == (
        f"PBS at {server.url} timed out (answer, timeout 0.6s) (GET /config/datastore)"
    )
    assert elapsed < 0.6 + 0.5  # the whole request, body included, within the timeout


@pytest.mark.parametrize("coding", ["deflate", "gzip", "bare-deflate"])
def test_compressed_answers_are_decoded(server, tls_files, coding):
    payload = b'{"data": [{"name": "store1"}]}'
    if coding == "gzip":
        body = gzip.compress(payload)
    elif coding == "deflate":
        body = zlib.compress(payload)
    else:
        squeezer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        body, coding = squeezer.compress(payload) + squeezer.flush(), "deflate"
    headers = ["Content-Type: application/json", f"Content-Encoding: {coding}"]
    server.handler = answers(answer("200 OK", headers, body))
    cli = make_client(server, tls_files, timeout=5)
    assert cli.get("/config/datastore").data == [{"name": "store1"}]


def test_an_empty_body_marked_compressed_is_empty():
    # zlib refuses an empty stream; urllib3 passed an empty body through, so do we
    assert transport._decoded(b"", "deflate") == b""  # pylint: disable=protected-access
    assert transport._decoded(b"", "gzip") == b""  # pylint: disable=protected-access


def test_a_compressed_body_that_does_not_decode_is_one_line(server, tls_files):
    body = zlib.compress(b'{"data": []}')[:-3]  # all bytes announced arrive, the stream is short
    server.handler = answers(answer("200 OK", ["Content-Encoding: deflate"], body))
    cli = make_client(server, tls_files, timeout=5)
    cli.read_attempts = 1
    with pytest.raises(errors.PbsMalformedResponseError) as excinfo:
        cli.get("/config/datastore")
    assert "not a complete answer" in str(excinfo.value)
    assert "\n" not in str(excinfo.value)


def test_a_body_that_stops_half_way_ends_at_the_timeout(server, tls_files):
    server.handler = answers(answer("200 OK", [], b'{"data": [1, 2')[:-2], then_hang=True)
    cli = make_client(server, tls_files, timeout=0.5)
    cli.read_attempts = 1
    started = time.monotonic()
    with pytest.raises(errors.PbsConnectionError, match=r"timed out \(answer, timeout 0.5s\)"):
        cli.get("/config/datastore")
    assert time.monotonic() - started < 0.5 + 0.5


@pytest.mark.parametrize(
    "raw,detail",
    [
        (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n",
            "(HTTP 200, the body broke off after 0 of 100 bytes)",
        ),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + b'{"data": [',
            "(HTTP 200, the body broke off after 10 of 100 bytes)",
        ),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\n" + b'{"data": [',
            "(HTTP 200, the body broke off after 10 bytes)",
        ),
    ],
)
def test_a_body_cut_off_after_its_headers_is_one_line_after_read_retries(
    server, tls_files, raw, detail
):
    server.handler = answers(raw)
    cli = make_client(server, tls_files)
    with pytest.raises(errors.PbsMalformedResponseError) as excinfo:
        cli.get("/config/datastore")
    assert str(excinfo.value) == (
        f"PBS answered something that is not a complete answer {detail}: GET /config/datastore"
    )
    assert len(server.requests) == 3 and cli.sleeps == [0.5, 1.0]


def test_a_cut_off_write_answer_says_the_change_may_have_been_applied(server, tls_files):
    server.handler = answers(b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n" + b'{"data"')
    cli = make_client(server, tls_files)
    with pytest.raises(errors.PbsMalformedResponseError) as excinfo:
        cli.post("/config/datastore", {"name": "store1", "path": "/tmp/s1"})
    assert str(excinfo.value) == (
        "PBS answered something that is not a complete answer (HTTP 200, the body broke off "
        "after 7 of 50 bytes; the change may or may not have been applied): "
        "POST /config/datastore"
    )
    assert len(server.requests) == 1  # a write is never repeated


@pytest.mark.parametrize(
    "ctype,body,expected",
    [
        ("text/html", b"<html><body>Welcome</body></html>",
         "not JSON (HTTP 200, text/html)"),
        ("application/json", b'{"data": [1, ', "not JSON (HTTP 200, application/json)"),
        ("application/json", b"[1, 2, 3]",
         "not a PBS API answer (a JSON object with a 'data' member)"),
        ("application/json", b'{"datastores": []}',
         "not a PBS API answer (a JSON object with a 'data' member)"),
        ("application/json", b'"data"',
         "not a PBS API answer (a JSON object with a 'data' member)"),
    ],
)
@pytest.mark.parametrize("auth", ["token", "ticket"])
def test_an_answer_that_is_not_the_json_envelope_is_one_line(
    server, tls_files, ctype, body, expected, auth
):
    server.handler = answers(answer("200 OK", [f"Content-Type: {ctype}"], body))
    if auth == "token":
        cli, where = make_client(server, tls_files), "GET /config/datastore"
    else:
        cli = make_client(server, tls_files, token_id=None, token_secret=None,
                          username="root@pam", password="s3cret-pass")
        where = "POST /access/ticket"
    with pytest.raises(errors.PbsMalformedResponseError) as excinfo:
        cli.get("/config/datastore")
    assert str(excinfo.value) == f"PBS answered something that is {expected}: {where}"
    assert len(server.requests) == 1  # a whole answer is not retried


def test_a_good_answer_still_reads_after_the_deadline_logic(server, tls_files):
    body = b'{"data": [{"name": "store1"}], "digest": "' + b"ab" * 32 + b'"}'
    server.handler = answers(answer("200 OK", ["Content-Type: application/json"], body))
    cli = make_client(server, tls_files)
    resp = cli.get("/config/datastore")
    assert pbs_client.expect_list(resp, "GET", "/config/datastore") == [{"name": "store1"}]
    assert resp.digest == "ab" * 32


def test_expect_list_and_object_take_a_response_or_its_data():
    listed = pbs_client.PbsResponse(data=[{"name": "a"}], digest="d")
    assert pbs_client.expect_list(listed, "GET", "/x") == [{"name": "a"}]
    assert pbs_client.expect_list(pbs_client.PbsResponse(data=None), "GET", "/x") == []
    item = pbs_client.PbsResponse(data={"name": "a"})
    assert pbs_client.expect_object(item, "GET", "/x/a") == {"name": "a"}
    with pytest.raises(errors.PbsMalformedResponseError) as excinfo:
        pbs_client.expect_list(pbs_client.PbsResponse(data={"name": "a"}), "GET", "/x")
    assert str(excinfo.value) == "PBS answered something that is not a list of objects: GET /x"
    with pytest.raises(errors.PbsMalformedResponseError) as excinfo:
        pbs_client.expect_object(pbs_client.PbsResponse(data=["a"]), "GET", "/x/a")
    assert str(excinfo.value) == "PBS answered something that is not an object: GET /x/a"
