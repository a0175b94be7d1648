"""HTTPS transport and the request pipeline, in PBS's order.

1. ``/api2/<format>`` check (400 for an unknown format), 2. authentication (401, even for
paths that do not exist), 3. route lookup (404, or 501 for PBS paths not simulated),
4. the route's permission (403), 5. parameter parsing and verification (400),
6. the handler. Errors are plain-text bodies (``/api2/json``) or PBS's ExtJS envelope.
"""

import contextlib
import http.server
import json
import logging
import socket
import socketserver
import struct
import threading
import time
import urllib.parse
import zlib

from saltext.pbs.simulator import auth
from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.errors import ParamError
from saltext.pbs.simulator.errors import RawResponse

log = logging.getLogger(__name__)

MAX_BODY = 512 * 1024
MAX_URI = 3072
JSON_TYPE = "application/json;charset=UTF-8"
FORM_TYPE = "application/x-www-form-urlencoded"
RESET = object()


class Response:
    def __init__(self, status, body=b"", content_type=None, headers=None, logged=None,
                 formatted=False):
        self.status = status
        # produced by the output formatter (may be compressed, like PBS's API answers)
        self.formatted = formatted
        self.body = body if isinstance(body, bytes) else str(body).encode("utf-8")
        self.content_type = content_type
        self.headers = dict(headers or {})
        # what the request log records as "response"
        self.logged = logged
        # a transport fault for the body: ("cut_off", share kept) or ("trickle", s/byte)
        self.delivery = None
        # the fault that made this answer (the request log says so), or None
        self.fault = None


def _plain(status, text, headers=None):
    """A pre-formatter error: plain text and no Content-Type, as PBS sends them."""
    return Response(status, text, None, headers, logged=text)


class RequestContext:
    """What a handler and a permission check know about the request."""

    def __init__(self, sim, method, path, path_params, identity, headers):
        self.sim = sim
        self.state = sim.state
        self.method = method
        self.path = path
        self.path_params = path_params
        self.headers = headers
        self.auth_id = identity.auth_id if identity else None
        self.userid = identity.userid if identity else None
        self.token_name = identity.token_name if identity else None
        self.attrs = {}
        self.body = None  # the raw request body, for raw_body endpoints only


def is_world(permission):
    return isinstance(permission, perms.World)


def _parse_form(text):
    merged = {}
    for key, value in urllib.parse.parse_qsl(text, keep_blank_values=True):
        if key in merged:
            if not isinstance(merged[key], list):
                merged[key] = [merged[key]]
            merged[key].append(value)
        else:
            merged[key] = value
    return merged


class ParsedRequest:
    """Body and query of a request, decoded as PBS does (JSON vs form mode)."""

    def __init__(self, method, query, body_bytes, content_type):
        self.method = method
        self.query_pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
        self.content_type = content_type
        self.mode = "form"
        self.body = None  # for the request log
        self.error = None  # an ApiError to raise once the permission check passed
        self.raw = {}
        self.payload = body_bytes  # what a raw_body (upload) endpoint reads
        self.query_params = _parse_form(query)
        text = body_bytes.decode("utf-8", errors="replace")
        ctype = (content_type or "").split(";")[0].strip().lower()
        if ctype == "application/json":
            self.mode = "json"
            if text.strip():
                try:
                    self.body = json.loads(text)
                except ValueError as exc:
                    self.body = text
                    self.error = ApiError(400, f"unable to parse json body - {exc}")
            else:
                self.body = None
            self.raw = self.body if self.error is None and self.body is not None else {}
        elif ctype in ("", FORM_TYPE):
            form = _parse_form(text) if text else {}
            self.body = form if text else None
            # The query string joins the body in form mode; ExtJS's cache buster is dropped.
            self.raw = _parse_form(query)
            self.raw.pop("_dc", None)
            for key, value in form.items():
                self._merge(key, value)
        else:
            # binary bodies (uploads) are logged by size, not as mangled text
            binary = ctype == "application/octet-stream"
            self.body = (f"<{len(body_bytes)} bytes>" if binary else text) or None
            self.error = ApiError(400, f'unsupported content type Ok("{content_type}")')

    def _merge(self, key, value):
        if key not in self.raw:
            self.raw[key] = value
            return
        old = self.raw[key] if isinstance(self.raw[key], list) else [self.raw[key]]
        self.raw[key] = old + (value if isinstance(value, list) else [value])

    def with_path_params(self, path_params):
        """The raw parameters with the path parameters in (JSON: they win; form: merged)."""
        if self.mode == "json":
            if not isinstance(self.raw, dict):
                return self.raw
            merged = dict(self.raw)
            merged.update(path_params)
            return merged
        saved = dict(self.raw)
        for key, value in path_params.items():
            self._merge(key, value)
        merged, self.raw = self.raw, saved
        return merged


class Pipeline:
    """Turns one HTTP request into a :class:`Response` (or RESET)."""

    def __init__(self, sim):
        self.sim = sim

    def handle(self, method, target, headers, body_bytes, body_too_large=False):
        path, _, query = target.partition("?")
        if len(target.encode("utf-8")) > MAX_URI:
            return Response(414)
        segments = [seg for seg in path.split("/") if seg]
        if segments and segments[0] == "_sim":
            return self.sim.admin.handle(method, segments[1:], headers, body_bytes)
        parsed = ParsedRequest(method, query, body_bytes, headers.get("Content-Type"))
        response, secrets = self._api(method, segments, query, headers, parsed, body_too_large)
        if response is not RESET and response.status == 401:
            response.headers["Set-Cookie"] = auth.CLEAR_COOKIE
            if self.sim.auth_delay:
                time.sleep(self.sim.auth_delay)
        if segments[:1] == ["api2"]:
            self.sim.recorder.record(
                {
                    "method": method,
                    "path": "/" + "/".join(segments),
                    "query": [list(p) for p in parsed.query_pairs],
                    "body": parsed.body,
                    "content_type": headers.get("Content-Type"),
                    "status": None if response is RESET else response.status,
                    "response": None if response is RESET else response.logged,
                    **({"fault": response.fault} if response is not RESET and response.fault else {}),
                },
                secrets,
            )
        return response

    def _api(self, method, segments, query, headers, parsed, body_too_large):
        # pylint: disable=too-many-return-statements
        full = "/" + "/".join(segments)
        if any(seg.startswith(".") for seg in segments):
            return _plain(400, "path contains illegal components"), ()
        if not segments or segments[0] != "api2":
            return _plain(404, f"Path '{full}' not found."), ()
        if len(segments) == 1:
            return _plain(404, "invalid api path '/api2'"), ()
        fmt = segments[1]
        if fmt not in ("json", "extjs"):
            return _plain(400, f"Unsupported output format '{fmt}'."), ()
        if body_too_large:
            return _plain(400, "Request body too large"), ()
        rel_segments = segments[2:]
        rel = "/" + "/".join(rel_segments)
        delay, action = self.sim.faults.take_transport(rel)
        if delay:
            time.sleep(delay)
        if action is not None and action[0] == "reset":
            return RESET, ()
        if action is not None and action[0] == "error":
            return _plain(action[1], action[2]), ()
        if action is not None and action[0] == "shape":
            body = json.dumps({"data": action[1]})
            response = Response(200, body, JSON_TYPE, logged={"data": action[1]})
            response.fault = "wrong_shape"
            return response, ()
        decoded = [urllib.parse.unquote(seg) for seg in rel_segments]
        with self.sim.lock:
            finished = self.sim.tasks.finished
            self.sim.tasks_tick()
            try:
                response, secrets = self._routed(method, fmt, full, rel, decoded, headers,
                                                 parsed)
            finally:
                # Saving serialises the whole state: only after what can change it (a
                # write, or tasks that finished, also during a GET), so that the cost of
                # a read does not grow with the number of objects.
                if method != "GET" or self.sim.tasks.finished != finished:
                    self.sim.persist()
        if action is not None and response is not RESET:
            response.delivery = action  # ("cut_off", keep) or ("trickle", seconds)
            response.fault = action[0]
        return response, secrets

    def _routed(self, method, fmt, full, rel, decoded, headers, parsed):
        sim = self.sim
        found = sim.router.lookup(method, decoded)
        ep, path_params = found if found else (None, {})
        identity = None
        if ep is None or not is_world(ep.permission):
            try:
                identity = auth.authenticate(sim, method, headers)
            except auth.Unauthenticated:
                return _plain(401, auth.AUTH_FAILED), ()
        if ep is None:
            if sim.router.is_pbs_path(method, decoded):
                return _plain(501, f"not simulated: {method} {full}"), ()
            return _plain(404, f"Path '{full}' not found."), ()
        ctx = RequestContext(sim, method, rel, path_params, identity, headers)
        if ep.raw_body:
            # PBS's upload handlers read only the query; the body goes to them unparsed
            ctx.body = parsed.payload
            raw = dict(parsed.query_params, **path_params)
        else:
            raw = parsed.with_path_params(path_params)
        try:
            if not is_world(ep.permission):
                permission = ep.permission or perms.Superuser()
                if not permission.check(ctx, raw if isinstance(raw, dict) else path_params):
                    raise ApiError(403, "permission check failed")
            if parsed.error is not None and not ep.raw_body:
                raise parsed.error
            mode = "form" if ep.raw_body else parsed.mode
            params = schema.parse_params(raw, ep.params, mode, path_params)
            if method != "GET" and not is_world(ep.permission):
                # Handlers take the config lock (and read the file) after verification.
                bump, lock_error = sim.faults.take_write(rel)
                if lock_error:
                    raise ApiError(400, lock_error)
                for name in bump:
                    sim.state.file(name).bump()
            result = ep.handler(ctx, params)
        except ApiError as exc:
            return _error(fmt, exc), ep.secrets
        except Exception as exc:  # pylint: disable=broad-except
            # The 500 answer carries the message; the traceback helps whoever debugs it.
            log.debug("simulated handler %s %s failed", method, ep.template, exc_info=True)
            return _error(fmt, ApiError(500, str(exc) or type(exc).__name__)), ep.secrets
        return _success(fmt, result, ctx.attrs), ep.secrets


def _success(fmt, result, attrs):
    if isinstance(result, RawResponse):
        if isinstance(result.body, (bytes, str)):
            body = result.body
            logged = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        else:
            body = json.dumps(result.body)
            logged = result.body
        return Response(result.status, body, result.content_type, result.headers, logged, True)
    envelope = {"data": result}
    envelope.update(attrs)
    if fmt == "extjs":
        envelope.update({"success": True, "status": 200})
    return Response(200, json.dumps(envelope), JSON_TYPE, logged=envelope, formatted=True)


def _error(fmt, exc):
    if fmt == "extjs":
        is_param = isinstance(exc, ParamError)
        envelope = {
            "success": False,
            "status": exc.status,
            "message": "parameter verification errors" if is_param else exc.message,
            "errors": exc.errors if is_param else {},
        }
        return Response(200, json.dumps(envelope), JSON_TYPE, logged=envelope, formatted=True)
    return Response(exc.status, exc.message, JSON_TYPE, logged=exc.message, formatted=True)


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "proxmox-backup-simulator"

    def version_string(self):
        return self.server_version

    def setup(self):
        # TLS or plain HTTP on the same port, told apart by the first byte (a TLS
        # handshake record starts with 0x16); the handshake runs in this request's thread.
        raw = self.request
        raw.settimeout(60)
        # The answer goes out as two writes (head, body): with Nagle's algorithm the body
        # waits for the client's delayed ACK of the head, about 40 ms per kept-alive request.
        with contextlib.suppress(OSError):
            raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            first = raw.recv(1, socket.MSG_PEEK)
        except OSError:
            first = b""
        self.plain = first != b"\x16"
        if not self.plain:
            self.request = self.server.ssl_context.wrap_socket(raw, server_side=True)
        self.server.track(self.request, True)
        super().setup()

    def _redirect(self):
        # PBS answers plain HTTP with a redirect to https://<Host> (no path).
        host = self.headers.get("Host")
        if not host:
            self.send_response(400)
        else:
            self.send_response(301 if self.command in ("GET", "HEAD") else 308)
            self.send_header("Location", "https://" + host)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _serve(self):
        if self.plain:
            self._redirect()
            return
        length = int(self.headers.get("Content-Length") or 0)
        too_large = length > MAX_BODY
        body = b"" if too_large else self.rfile.read(length)
        if too_large:
            # Drain what the client sends so that it gets to read the answer.
            remaining = min(length, 64 * MAX_BODY)
            while remaining > 0:
                chunk = self.rfile.read(min(remaining, 65536))
                if not chunk:
                    break
                remaining -= len(chunk)
            self.close_connection = True
        try:
            response = self.server.pipeline.handle(
                self.command, self.path, self.headers, body, body_too_large=too_large
            )
        except Exception as exc:  # pylint: disable=broad-except
            # A bug in the simulator itself: answer instead of dropping the connection.
            # the path only: a query string could carry a secret
            log.warning("simulator failed on %s %s", self.command, self.path.split("?")[0],
                        exc_info=True)
            response = Response(500, f"simulator error: {type(exc).__name__}: {exc}")
        if response is RESET:
            self._reset()
            return
        body = response.body
        if response.formatted and "deflate" in (self.headers.get("Accept-Encoding") or ""):
            # PBS compresses API answers with zlib when the client accepts deflate.
            body = zlib.compress(body)
            response.headers["Content-Encoding"] = "deflate"
        self.send_response(response.status)
        if response.content_type:
            self.send_header("Content-Type", response.content_type)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "HEAD":
            return
        if response.delivery and response.delivery[0] == "cut_off":
            self.wfile.write(body[: int(len(body) * response.delivery[1])])
            self.wfile.flush()
            self._reset()
        elif response.delivery and response.delivery[0] == "trickle":
            try:
                for i in range(len(body)):
                    time.sleep(response.delivery[1])  # before the byte: done when it is sent
                    self.wfile.write(body[i : i + 1])
                    self.wfile.flush()
            except OSError:  # the client gave up waiting and closed the connection
                self.close_connection = True
        else:
            self.wfile.write(body)

    def _reset(self):
        # SO_LINGER 0 makes close() send a TCP RST instead of an orderly shutdown.
        try:
            self.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
            self.connection.close()
        except OSError:
            pass
        self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _serve

    def finish(self):
        try:
            super().finish()
        except OSError:
            pass
        self.server.track(self.request, False)
        with contextlib.suppress(OSError):
            self.request.close()

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        pass


class HTTPSServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address, ssl_context, pipeline):
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.ssl_context = ssl_context
        self.pipeline = pipeline
        self._connections = set()
        self._conn_lock = threading.Lock()
        super().__init__(address, _Handler)

    def track(self, conn, active):
        with self._conn_lock:
            if active:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    def shutdown(self):
        """Stop ``serve_forever`` now rather than at the end of its current poll interval:
        the loop looks at the stop request whenever its select returns, and a connection
        to the listening socket makes it return."""
        stopper = threading.Thread(target=super().shutdown, name="pbs-simulator-stop")
        stopper.start()
        while stopper.is_alive():
            with contextlib.suppress(OSError):
                socket.create_connection(self.server_address[:2], timeout=1).close()
            stopper.join(0.005)

    def close_connections(self):
        """End kept-alive client connections, so a stopped simulator answers nothing."""
        with self._conn_lock:
            connections, self._connections = self._connections, set()
        for sock in connections:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request, client_address):
        log.debug("connection from %s failed", client_address, exc_info=True)
