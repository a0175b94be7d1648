"""The HTTP layer under :class:`~saltext.pbs.utils.client.PbsClient`.

Transport adapters (TLS handshake timeouts reported as connect timeouts, certificate
pinning), query and JSON body encoding as PBS expects them, and reading an answer's body
under the request's deadline.
"""

import time
import zlib

import requests
import requests.adapters
import urllib3
import urllib3.connection
import urllib3.exceptions
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import errors

# Parameters that must never end up in a URL (URLs are logged by urllib3 and proxies).
_SECRET_QUERY_KEYS = frozenset(
    {"password", "secret", "secret-key", "token-secret", "ticket", "csrfpreventiontoken"}
)


class _HandshakeTimedConnection(urllib3.connection.HTTPSConnection):
    """An HTTPS connection whose TLS handshake running out of time is a connect timeout.

    urllib3 reports a handshake that never completes as a *read* timeout, which would
    make a server that accepts TCP connections but never speaks TLS look like one that
    received the request and did not answer.
    """

    def connect(self):
        try:
            super().connect()
        except TimeoutError as exc:  # socket.timeout: the handshake got no answer in time
            raise urllib3.exceptions.ConnectTimeoutError(
                self, f"TLS handshake timed out (connect timeout={self.timeout})"
            ) from exc


class _HandshakeTimedPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _HandshakeTimedConnection


class PbsAdapter(requests.adapters.HTTPAdapter):
    """Transport adapter whose HTTPS connections report handshake timeouts as such."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        # A copy: urllib3's mapping is shared by every pool manager in the process.
        self.poolmanager.pool_classes_by_scheme = {
            **self.poolmanager.pool_classes_by_scheme,
            "https": _HandshakeTimedPool,
        }


class PinnedAdapter(PbsAdapter):
    """Transport adapter that pins the server's leaf certificate.

    urllib3 compares the SHA-256 of the peer certificate right after the handshake and
    before sending anything. CA verification is switched off only for pinned sessions:
    the pin is a stronger check than the CA chain.
    """

    def __init__(self, fingerprint, **kwargs):
        self._fingerprint = fingerprint.replace(":", "").lower()
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["assert_fingerprint"] = self._fingerprint
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy, **proxy_kwargs):  # pragma: no cover - trust_env off
        proxy_kwargs["assert_fingerprint"] = self._fingerprint
        return super().proxy_manager_for(proxy, **proxy_kwargs)

    def send(self, request, **kwargs):  # pylint: disable=arguments-differ
        kwargs["verify"] = False
        return super().send(request, **kwargs)


def _query_value(value):
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def encode_query(params):
    """Turn a mapping into query pairs: lists as repeated keys, booleans as 1/0."""
    pairs = []
    for key, value in (params or {}).items():
        if value is None:
            continue
        if str(key).lower() in _SECRET_QUERY_KEYS:
            raise SaltInvocationError(
                f"parameter '{key}' must not be sent in a URL query string; "
                "use POST or PUT for secrets"
            )
        if isinstance(value, dict):
            raise SaltInvocationError(
                f"parameter '{key}' is a mapping; query parameters must be scalars or lists"
            )
        if isinstance(value, (list, tuple, set)):
            pairs.extend((key, _query_value(item)) for item in value if item is not None)
        else:
            pairs.append((key, _query_value(value)))
    return pairs


def json_clean(value):
    """Drop ``None`` (PBS rejects ``null``) and turn tuples/sets into lists."""
    if isinstance(value, dict):
        return {key: json_clean(val) for key, val in value.items() if val is not None}
    if isinstance(value, (list, tuple)):
        return [json_clean(val) for val in value if val is not None]
    if isinstance(value, (set, frozenset)):
        return sorted(json_clean(val) for val in value if val is not None)
    return value


def describe_connection_error(exc):
    """A short cause for a requests connection error, without URLs or query strings."""
    reason = exc.args[0] if exc.args else exc
    reason = getattr(reason, "reason", reason)
    text = str(reason)
    if "Failed to establish a new connection: " in text:
        text = text.split("Failed to establish a new connection: ", 1)[1]
    elif "): " in text and "Pool(" in text:
        text = text.rsplit("): ", 1)[1]
    return errors.one_line(text, 200)


class BodyCutOff(Exception):
    """The answer's body broke off: ``args`` are (status, bytes received, bytes expected)."""


#: the content codings :func:`read_body` decodes, sent as ``Accept-Encoding``
ACCEPT_ENCODING = "gzip, deflate"


def _decoded(body, coding):
    """``body`` without its content coding; ``zlib.error`` when it is not a whole stream."""
    coding = (coding or "identity").strip().lower()
    if coding in ("", "identity") or not body:
        return body
    if coding == "gzip":
        return zlib.decompress(body, 16 + zlib.MAX_WBITS)
    if coding == "deflate":
        try:
            return zlib.decompress(body)  # zlib-wrapped, as PBS sends it
        except zlib.error:
            return zlib.decompress(body, -zlib.MAX_WBITS)  # bare deflate, as some send it
    raise zlib.error(f"content coding {coding!r} was not asked for")


def read_body(resp, deadline):
    """Read ``resp``'s whole body before ``deadline`` (a ``time.monotonic()`` value).

    The socket's timeout is cut to what is left before every read, so neither a body
    that trickles in nor one that stops half-way outlasts the deadline. Raises
    ``requests`` ``ReadTimeout`` at the deadline and :class:`BodyCutOff` when the body
    breaks off; either way the connection is dropped. The bytes are read as they come and
    decompressed at the end: urllib3's decoding reads on until a compressed body yields
    output, past any deadline checked between its reads.
    """
    raw = resp.raw
    expected = resp.headers.get("Content-Length")
    expected = int(expected) if expected and expected.isdigit() else None
    chunks, received = [], 0
    late = requests.exceptions.ReadTimeout("the answer's body did not arrive in time")
    try:
        while (remaining := deadline - time.monotonic()) > 0:
            sock = getattr(getattr(raw, "connection", None), "sock", None)
            if sock is not None:
                sock.settimeout(remaining)
            piece = raw.read1(65536, decode_content=False)
            if not piece:
                break
            chunks.append(piece)
            received += len(piece)
        else:
            raise late
    except (urllib3.exceptions.HTTPError, OSError, requests.exceptions.ReadTimeout) as exc:
        resp.close()
        if isinstance(exc, (urllib3.exceptions.ReadTimeoutError, TimeoutError, type(late))):
            raise late from None
        raise BodyCutOff(resp.status_code, received, expected) from None
    try:
        content = _decoded(b"".join(chunks), resp.headers.get("Content-Encoding"))
    except zlib.error:
        resp.close()
        raise BodyCutOff(resp.status_code, received, expected) from None
    resp._content = content  # pylint: disable=protected-access
    resp._content_consumed = True  # pylint: disable=protected-access
