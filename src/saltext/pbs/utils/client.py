"""HTTPS client for the Proxmox Backup Server REST API (``/api2/json``).

One :class:`PbsClient` per connection profile, cached in ``__context__`` for the duration
of a Salt job, wraps a :class:`requests.Session`:

* API token auth (``Authorization: PBSAPIToken=USER@REALM!NAME:SECRET``) or ticket auth
  (``POST /access/ticket``, ``PBSAuthCookie`` cookie, ``CSRFPreventionToken`` header on
  every non-GET request, one re-login and retry when the ticket has expired).
* TLS verified by default against the CA bundle that ``requests`` ships (``certifi``; the
  environment's ``REQUESTS_CA_BUNDLE`` is not read, see below); ``verify`` may name a CA
  bundle or turn verification off; ``fingerprint`` pins the SHA-256 of the leaf certificate instead. The
  pin is checked right after the TLS handshake, before any credential or request leaves
  the machine.
* A timeout on every request: ``timeout`` seconds bound connecting (TCP and TLS) and the
  wait for the answer together. Reads (GET) and the ticket login are retried with backoff
  on connection errors, timeouts and HTTP 502/503/504; writes are never retried blindly.
* GET/DELETE parameters travel in the query string without a JSON content type (PBS
  ignores the query string of requests sent as ``application/json``); POST/PUT data is a
  JSON body with proper JSON types and no ``null`` values.
* Logging carries method, path, status and elapsed time only. Query strings never carry
  secrets (the client refuses secret-looking parameters there), so urllib3's own request
  line logging stays clean too.

Environment proxy variables and ``.netrc`` are ignored on purpose: a ``.netrc`` entry would
otherwise replace the PBS authorization header, and a proxy would bypass the pin.
"""

import collections
import contextlib
import logging
import re
import time
import urllib.parse
import warnings
from collections.abc import Callable

import requests
import urllib3
import urllib3.exceptions
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import config as pbs_config
from saltext.pbs.utils import errors
from saltext.pbs.utils import tickets as pbs_tickets
from saltext.pbs.utils import transport
from saltext.pbs.utils import upid as pbs_upid
from saltext.pbs.utils import validate

log = logging.getLogger(__name__)

__all__ = [
    "PbsResponse",
    "PbsClient",
    "get_client",
    "client_from_loader",
    "expect_list",
    "expect_object",
    "CONTEXT_KEY",
]

CONTEXT_KEY = "saltext.pbs.clients"
API_PREFIX = "/api2/json"
TICKET_PATH = "/access/ticket"
# A task waited on for longer than the profile's ``progress_after`` says, at warning level,
# that it still runs (and again every PROGRESS_EVERY seconds); its log lines go to the info
# level as they come.
PROGRESS_EVERY = 60.0
# PBS tickets live 2 h; log in again well before that.
TICKET_REFRESH_AFTER = 6600
_RETRY_STATUSES = frozenset({502, 503, 504})
_WARNINGS_RE = re.compile(r"^WARNINGS: \d+$")
_FINGERPRINT_MISMATCH_RE = re.compile(
    r'Fingerprints did not match\. Expected "([0-9a-fA-F]+)", got "([0-9a-fA-F]+)"'
)


def _colon_hex(value):
    value = value.lower()
    return ":".join(value[i : i + 2] for i in range(0, len(value), 2))


class PbsResponse:
    """A successful PBS answer: ``data`` member, ``digest`` and ``total`` attributes, and
    ``changes`` (the staged network configuration's diff, on the network list only)."""

    __slots__ = ("data", "digest", "total", "status", "changes")

    def __init__(self, data=None, digest=None, total=None, status=200, changes=None):
        self.data = data
        self.digest = digest
        self.total = total
        self.status = status
        self.changes = changes

    def __repr__(self):
        return f"PbsResponse(status={self.status}, digest={self.digest!r}, total={self.total!r})"


def _change_note(method, path, sent=True):
    """For a write that reached PBS but got no full answer: it may have been applied.

    A read or the login changes nothing (tickets are signed, not stored), and a
    connection that never came up carried no request."""
    if sent and method != "GET" and path != TICKET_PATH:
        return "; the change may or may not have been applied"
    return ""


def _duration(seconds):
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


def seconds_argument(value, field):
    """``value`` as seconds (see ``validate.seconds``), refused as the caller's bad input."""
    try:
        return validate.seconds(value, field)
    except ValueError as exc:
        raise SaltInvocationError(str(exc)) from None


def _never_connected(exc):
    """Whether a requests connection error happened before a connection came up."""
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)
    return isinstance(reason, urllib3.exceptions.NewConnectionError)


class PbsClient:
    """Authenticated access to one PBS. See the module docstring for the behaviour."""

    #: attempts for GET requests (1 = no retry)
    read_attempts = 3
    #: first backoff delay in seconds for GET retries; doubled each time
    backoff = 0.5
    #: default seconds between task status polls in :meth:`wait_task` (grows up to this)
    poll_interval = 2.0
    #: default seconds :meth:`wait_task` waits for a task
    task_timeout = 1800.0

    def __init__(self, conf):
        self.conf = dict(conf)
        self.url = conf["url"]
        self.node = conf.get("node") or "localhost"
        self.timeout = float(conf.get("timeout") or pbs_config.DEFAULTS["timeout"])
        self.progress_after = float(
            conf.get("progress_after") or pbs_config.DEFAULTS["progress_after"]
        )
        self.token_id = conf.get("token_id")
        self.username = conf.get("username")
        self.auth_id = self.token_id or self.username
        # Injectable for tests: no real sleeping, controllable clock.
        self.sleep = time.sleep
        self.monotonic = time.monotonic
        self._ticket = None
        self._csrf = None
        self._ticket_time = None
        self._verify = conf.get("verify", True)
        self.session = requests.Session()
        # No .netrc (would replace our Authorization header), no environment proxies
        # (would bypass the fingerprint pin), no CA bundle from the environment.
        self.session.trust_env = False
        self.session.headers["Accept"] = "application/json"
        self.session.headers["Accept-Encoding"] = transport.ACCEPT_ENCODING
        fingerprint = conf.get("fingerprint")
        if fingerprint:
            self.session.mount("https://", transport.PinnedAdapter(fingerprint))
            self._verify = False
        else:
            self.session.mount("https://", transport.PbsAdapter())
            if self._verify is False:
                log.warning("PBS %s: TLS certificate verification is disabled", self.url)

    def __repr__(self):
        return f"PbsClient(url={self.url!r}, auth_id={self.auth_id!r})"

    def close(self):
        """Close the pooled connections."""
        self.session.close()

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def path(template, **ids):
        """Fill ``{placeholders}`` in ``template`` with percent-encoded path segments.

        ``PbsClient.path("/config/datastore/{name}", name="a b")`` returns
        ``/config/datastore/a%20b``. Every character that is not unreserved is encoded,
        including ``/``, so an id can never change the path's structure.
        """
        quoted = {}
        for key, value in ids.items():
            if value is None or str(value) == "":
                raise SaltInvocationError(f"'{key}' must not be empty")
            quoted[key] = urllib.parse.quote(str(value), safe="")
        try:
            return template.format(**quoted)
        except KeyError as exc:
            raise SaltInvocationError(f"missing path parameter {exc}") from None

    def _timeout_seconds(self, timeout=None):
        return self.timeout if timeout is None else seconds_argument(timeout, "timeout")

    # ------------------------------------------------------------------ auth

    def _auth_headers(self, method):
        if self.token_id:
            secret = urllib.parse.quote(self.conf["token_secret"], safe="-._~")
            return {"Authorization": f"PBSAPIToken={self.token_id}:{secret}"}
        if not self.username:
            # No credentials configured (e.g. the grain's /ping): unauthenticated request.
            return {}
        if self._ticket is None or (
            self.monotonic() - self._ticket_time > TICKET_REFRESH_AFTER
        ):
            if not self._shared_ticket():
                self.login()
        headers = {"Cookie": "PBSAuthCookie=" + urllib.parse.quote(self._ticket, safe="")}
        if method != "GET":
            headers["CSRFPreventionToken"] = self._csrf
        return headers

    def _shared_ticket(self):
        """Take the ticket another client of this process got for the same PBS, user and
        password (the grain's, at a ``salt-call``); False when there is none."""
        shared = pbs_tickets.get(self.url, self.username, self.conf.get("password"))
        if shared is None or shared[2] > TICKET_REFRESH_AFTER or shared[0] == self._ticket:
            return False  # none, too old, or the very ticket this client renews
        self._ticket, self._csrf, age = shared
        self._ticket_time = self.monotonic() - age
        return True

    def login(self):
        """Obtain a ticket and CSRF token (ticket auth only); shared in this process."""
        if self.token_id:
            return
        self._ticket = self._csrf = None
        # Form-encoded: requests encodes '+' and other specials in the password properly.
        form = {"username": self.username, "password": self.conf["password"]}
        # A login changes nothing on PBS (tickets are signed, not stored): it is retried
        # like a read.
        resp = self._send("POST", TICKET_PATH, data=form, headers={}, retry=True)
        if resp.status_code != 200:
            hint = None
            if resp.status_code == 401:
                hint = f"login as '{self.username}' was refused; check username and password"
            raise errors.from_response(resp.status_code, resp.content, "POST", TICKET_PATH,
                                       hint=hint, secrets=self._secrets())
        envelope = self._decode(resp, "POST", TICKET_PATH)
        data = expect_object(envelope.get("data"), "POST", TICKET_PATH)
        ticket = data.get("ticket")
        csrf = data.get("CSRFPreventionToken")
        if not ticket or not csrf or csrf == "invalid" or "!tfa!" in ticket:
            raise errors.PbsAuthenticationError(
                f"PBS login as '{self.username}' needs a second factor or returned no "
                "ticket; use an API token for automation (POST /access/ticket)",
                status=resp.status_code,
                method="POST",
                path=TICKET_PATH,
            )
        self._ticket, self._csrf = ticket, csrf
        self._ticket_time = self.monotonic()
        pbs_tickets.put(self.url, self.username, self.conf["password"], ticket, csrf)

    # ------------------------------------------------------------------ transport

    def _send(self, method, path, params=None, data=None, json_body=None, headers=None,
              retry=None, timeout=None, stream=False):
        """Send one request (with read retries); return the raw ``requests`` response.

        Unless ``stream`` is set, the body is read here, within the same timeout as
        connecting and the headers: a body that trickles in ends at the deadline.
        """
        url = self.url + API_PREFIX + path
        if retry is None:
            retry = method == "GET"
        attempts = self.read_attempts if retry else 1
        attempts = max(1, int(attempts))
        total = self._timeout_seconds(timeout)
        delay = self.backoff
        for attempt in range(1, attempts + 1):
            started = time.monotonic()
            try:
                resp = self._send_once(method, url, params, data, json_body, headers, total,
                                       stream, started)
            except requests.exceptions.SSLError as exc:
                raise self._tls_error(exc, method, path) from None
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
                    transport.BodyCutOff) as exc:
                elapsed = time.monotonic() - started
                log.debug(
                    "PBS %s %s -> no complete answer after %.3fs (attempt %d/%d)",
                    method, path, elapsed, attempt, attempts,
                )
                if attempt < attempts:
                    self.sleep(delay)
                    delay *= 2
                    continue
                if isinstance(exc, transport.BodyCutOff):
                    raise self._cut_off_error(exc, method, path) from None
                raise self._connection_error(exc, method, path, total, attempts) from None
            elapsed = time.monotonic() - started
            log.debug("PBS %s %s -> %s (%.3fs)", method, path, resp.status_code, elapsed)
            if resp.status_code in _RETRY_STATUSES and attempt < attempts:
                resp.close()
                self.sleep(delay)
                delay *= 2
                continue
            return resp
        raise AssertionError("unreachable")  # pragma: no cover

    def _send_once(self, method, url, params, data, json_body, headers, total, stream,
                   started):
        with warnings.catch_warnings():
            if self._verify is False:
                warnings.simplefilter("ignore", urllib3.exceptions.InsecureRequestWarning)
            resp = self.session.request(
                method,
                url,
                params=params,
                data=data,
                json=json_body,
                headers=headers,
                # One budget for connecting (TCP and TLS) and the answer's headers:
                # urllib3 gives the read what connecting left over.
                timeout=urllib3.Timeout(total=total),
                verify=self._verify,
                allow_redirects=False,
                stream=True,
            )
        if not stream:
            transport.read_body(resp, started + total)
        return resp

    def _tls_error(self, exc, method, path):
        match = _FINGERPRINT_MISMATCH_RE.search(str(exc))
        if match:
            return errors.PbsConnectionError(
                f"PBS certificate fingerprint mismatch: expected {_colon_hex(match.group(1))}, "
                f"got {_colon_hex(match.group(2))} ({method} {path})",
                reason="fingerprint",
                method=method,
                path=path,
            )
        cause = transport.describe_connection_error(exc)
        return errors.PbsConnectionError(
            f"TLS connection to PBS at {self.url} failed: {cause}; set 'verify' to a CA "
            f"bundle or pin the certificate with 'fingerprint' ({method} {path})",
            reason="tls",
            method=method,
            path=path,
        )

    def _connection_error(self, exc, method, path, total, attempts=1):
        tries = f", {attempts} attempts" if attempts > 1 else ""
        if isinstance(exc, requests.exceptions.Timeout):
            connecting = isinstance(exc, requests.exceptions.ConnectTimeout)
            note = _change_note(method, path, sent=not connecting)
            return errors.PbsConnectionError(
                f"PBS at {self.url} timed out ({'connecting' if connecting else 'answer'}, "
                f"timeout {total:g}s{tries}){note} ({method} {path})",
                reason="timeout",
                method=method,
                path=path,
            )
        note = _change_note(method, path, sent=not _never_connected(exc))
        return errors.PbsConnectionError(
            f"cannot reach PBS at {self.url}: {transport.describe_connection_error(exc)}{note} "
            f"({method} {path})",
            reason="unreachable",
            method=method,
            path=path,
        )

    @staticmethod
    def _cut_off_error(exc, method, path):
        status, received, expected = exc.args
        of = f" of {expected}" if expected is not None else ""
        note = _change_note(method, path)
        return errors.PbsMalformedResponseError(
            f"PBS answered something that is not a complete answer (HTTP {status}, the "
            f"body broke off after {received}{of} bytes{note}): {method} {path}",
            status=status,
            method=method,
            path=path,
        )

    @staticmethod
    def _decode(resp, method, path):
        """PBS's JSON envelope ``{"data": ..., ...}`` (every ``/api2/json`` answer has one)."""
        try:
            body = resp.json()
        except ValueError:
            ctype = resp.headers.get("Content-Type", "no content type")
            raise errors.PbsMalformedResponseError(
                f"PBS answered something that is not JSON (HTTP {resp.status_code}, "
                f"{errors.one_line(ctype, 80)}): {method} {path}",
                status=resp.status_code,
                method=method,
                path=path,
            ) from None
        if not isinstance(body, dict) or "data" not in body:
            raise errors.PbsMalformedResponseError(
                "PBS answered something that is not a PBS API answer (a JSON object with a "
                f"'data' member): {method} {path}",
                status=resp.status_code,
                method=method,
                path=path,
            )
        return body

    def _secrets(self, body=None):
        """Secret values an error answer must not quote: the body's and the connection's."""
        conf = self.conf
        return errors.secret_values(body, (conf.get("password"), conf.get("token_secret")))

    def _auth_hint(self):
        if self.token_id:
            return (
                f"check token_id '{self.token_id}' and token_secret (the token and its user "
                "must exist and be enabled)"
            )
        return f"check username '{self.username}' and password"

    def request(self, method, path, params=None, data=None, timeout=None, delete_body=False):
        """Send a request to ``/api2/json{path}`` and return a :class:`PbsResponse`.

        GET/DELETE send ``params`` (and ``data``, merged) as the query string; POST/PUT
        send ``data`` (and ``params``, merged) as a JSON body, and so does a DELETE with
        ``delete_body`` (PBS reads a JSON body on any method; secrets never go in a URL,
        such as the caller's password a TFA removal needs). Raises a
        :class:`~saltext.pbs.utils.errors.PbsError` subclass for any failure.
        """
        method = str(method).upper()
        if method not in ("GET", "POST", "PUT", "DELETE"):
            raise SaltInvocationError(
                f"unsupported HTTP method '{method}' (PBS routes GET, POST, PUT, DELETE)"
            )
        if not isinstance(path, str) or not path.startswith("/"):
            raise SaltInvocationError(f"PBS API path must start with '/' (got {path!r})")
        if "?" in path or "#" in path:
            raise SaltInvocationError("PBS API path must not contain '?' or '#'; use params")
        for name, value in (("params", params), ("data", data)):
            if value is not None and not isinstance(value, dict):
                raise SaltInvocationError(f"{name} must be a mapping")
        merged = {**(data or {}), **(params or {})}
        if method == "GET" or (method == "DELETE" and not delete_body):
            send_kwargs = {"params": transport.encode_query(merged)}
        else:
            send_kwargs = {"json_body": transport.json_clean(merged)}

        resp = self._send(method, path, headers=self._auth_headers(method), timeout=timeout,
                          **send_kwargs)
        if resp.status_code == 401 and self.username:
            # The ticket expired (or the server restarted): PBS checks auth before it runs
            # the handler, so repeating the request once after a fresh login is safe.
            log.debug("PBS %s %s: ticket rejected, logging in again", method, path)
            self.login()
            resp = self._send(method, path, headers=self._auth_headers(method),
                              timeout=timeout, **send_kwargs)
        if not 200 <= resp.status_code < 300:
            hint = self._auth_hint() if resp.status_code == 401 else None
            raise errors.from_response(resp.status_code, resp.content, method, path,
                                       hint=hint, secrets=self._secrets(merged))
        body = self._decode(resp, method, path)
        return PbsResponse(
            data=body.get("data"),
            digest=body.get("digest"),
            total=body.get("total"),
            status=resp.status_code,
            changes=body.get("changes"),
        )

    def get(self, path, params=None):
        """GET ``path``; see :meth:`request`."""
        return self.request("GET", path, params=params)

    def post(self, path, data=None):
        """POST ``path`` with a JSON body; see :meth:`request`."""
        return self.request("POST", path, data=data)

    def put(self, path, data=None):
        """PUT ``path`` with a JSON body; see :meth:`request`."""
        return self.request("PUT", path, data=data)

    def delete(self, path, params=None):
        """DELETE ``path``; parameters go in the query string. See :meth:`request`."""
        return self.request("DELETE", path, params=params)

    def download(self, path, params, fileobj, timeout=None, chunk_size=65536):
        """GET a raw file (``application/octet-stream``) and write it to ``fileobj`` as it
        arrives, never holding it whole. Returns ``(bytes written, content type)``.

        Asks for the body uncompressed, so a ``Content-Length`` can be checked: a short
        body raises :class:`~saltext.pbs.utils.errors.PbsError`.
        """
        query = transport.encode_query(params or {})

        def send():
            headers = dict(self._auth_headers("GET"), **{"Accept-Encoding": "identity"})
            return self._send("GET", path, params=query, headers=headers, timeout=timeout,
                              stream=True)

        resp = send()
        if resp.status_code == 401 and self.username:
            resp.close()
            self.login()
            resp = send()
        with resp:
            if resp.status_code != 200:
                raise errors.from_response(resp.status_code, resp.content, "GET", path,
                                           secrets=self._secrets())
            written = 0
            try:
                for piece in resp.iter_content(chunk_size):
                    fileobj.write(piece)
                    written += len(piece)
            except requests.exceptions.RequestException as exc:
                raise errors.PbsConnectionError(
                    f"PBS download broke off after {written} bytes: {type(exc).__name__}"
                    f" (GET {path})", method="GET", path=path,
                ) from None
            expected = resp.headers.get("Content-Length")
            if expected is not None and expected.isdigit() and int(expected) != written:
                raise errors.PbsError(
                    f"PBS download is incomplete: {written} of {expected} bytes (GET {path})",
                    status=resp.status_code, method="GET", path=path,
                )
            return written, resp.headers.get("Content-Type", "")

    def upload(self, path, params, payload, content_type="application/octet-stream",
               timeout=None):
        """POST ``payload`` (bytes) as the raw body, the parameters in the query string, as
        PBS's upload handlers expect (``proxmox-backup-client`` sends them so). Returns a
        :class:`PbsResponse`."""
        query = transport.encode_query(params or {})

        def send():
            headers = dict(self._auth_headers("POST"), **{"Content-Type": content_type})
            return self._send("POST", path, params=query, data=payload, headers=headers,
                              timeout=timeout)

        resp = send()
        if resp.status_code == 401 and self.username:
            # PBS checks auth before it runs the handler: repeating once is safe
            self.login()
            resp = send()
        if not 200 <= resp.status_code < 300:
            hint = self._auth_hint() if resp.status_code == 401 else None
            raise errors.from_response(resp.status_code, resp.content, "POST", path,
                                       hint=hint, secrets=self._secrets())
        body = self._decode(resp, "POST", path)
        return PbsResponse(data=body.get("data"), digest=body.get("digest"),
                           total=body.get("total"), status=resp.status_code)

    def get_list(self, path, params=None):
        """GET a list of objects (see :func:`expect_list`)."""
        return expect_list(self.get(path, params=params), "GET", path)

    def get_object(self, path, params=None):
        """GET one object (see :func:`expect_object`)."""
        return expect_object(self.get(path, params=params), "GET", path)

    def get_or_none(self, path, params=None):
        """GET ``path``; ``None`` when PBS says the object does not exist."""
        try:
            return self.get(path, params=params)
        except errors.PbsNotFoundError:
            return None

    # ------------------------------------------------------------------ tasks

    def task_path(self, upid, suffix=""):
        """``/nodes/{node}/tasks/{upid}{suffix}`` with the UPID percent-encoded."""
        pbs_upid.parse_upid(upid)
        return self.path("/nodes/{node}/tasks/{upid}", node=self.node, upid=upid) + suffix

    def _fetch_log(self, upid, seen, label, tail):
        """Fetch log lines after line ``seen``; log them; return the new ``seen``."""
        try:
            lines = self.get(self.task_path(upid, "/log"), params={"start": seen, "limit": 0})
        except errors.PbsError as exc:
            # The log is a courtesy; the status decides the outcome.
            log.debug("PBS task %s: could not read the task log: %s", label, exc)
            return seen
        for line in lines.data or []:
            number = line.get("n", seen + 1) if isinstance(line, dict) else seen + 1
            text = line.get("t", "") if isinstance(line, dict) else str(line)
            if number <= seen:
                continue
            seen = number
            tail.append(text)
            log.info("PBS task %s: %s", label, text)
        return seen

    @contextlib.contextmanager
    def task_wait_limit(self, seconds=None):
        """Tasks waited on inside the block (without a timeout of their own) wait at most
        ``seconds``; ``None`` keeps the default. A state's ``task_timeout`` uses this."""
        if seconds is None:
            yield
            return
        saved, self.task_timeout = self.task_timeout, seconds_argument(seconds, "task_timeout")
        try:
            yield
        finally:
            self.task_timeout = saved

    def start_task(self, method, path, data=None, wait=True, timeout=None, field="timeout"):
        """Send the request that starts a PBS task and return :meth:`task_result`.

        ``timeout`` (the wait, named ``field`` in messages) is checked before anything is
        sent, so a bad value never leaves a task running that nobody waits for.
        """
        if wait and timeout is not None:
            timeout = seconds_argument(timeout, field)
        return self.task_result(self.request(method, path, data=data).data, wait, timeout)

    def task_result(self, upid, wait=True, timeout=None):
        """What a function that starts a task returns: the UPID itself when not ``wait``,
        else the task's final status (see :meth:`wait_task`; PBS's status names its
        ``upid`` too)."""
        if not wait:
            return upid
        return self.wait_task(upid, timeout=timeout)

    def wait_task(self, upid, timeout=None, poll_interval=None):
        """Wait until PBS task ``upid`` stops; return its final status dict.

        Polls ``/nodes/{node}/tasks/{upid}/status``, logging new task log lines at info
        level as they appear, and a warning that the task still runs (elapsed time, last
        log line) after ``progress_after`` seconds and every ``PROGRESS_EVERY``. Raises :class:`~saltext.pbs.utils.errors.PbsTaskError`
        (with the tail of the task log) when the exit status is anything but ``OK`` or
        ``WARNINGS: <n>``, and :class:`~saltext.pbs.utils.errors.PbsTimeoutError` when the
        task is still running after ``timeout`` seconds.
        """
        info = pbs_upid.parse_upid(upid)
        timeout = self.task_timeout if timeout is None else seconds_argument(timeout, "timeout")
        max_interval = (
            self.poll_interval if poll_interval is None
            else seconds_argument(poll_interval, "poll_interval")
        )
        # Short tasks finish quickly: start polling fast, back off to max_interval.
        interval = min(0.1, max_interval) if poll_interval is None else max_interval
        label = info["worker_type"] + (f" '{info['worker_id']}'" if info["worker_id"] else "")
        started = self.monotonic()
        deadline = started + timeout
        report_at = started + self.progress_after
        tail = collections.deque(maxlen=20)
        seen = 0
        status_path = self.task_path(upid, "/status")
        while True:
            status = expect_object(self.get(status_path).data, "GET", status_path)
            seen = self._fetch_log(upid, seen, label, tail)
            if status.get("status") == "stopped":
                break
            if self.monotonic() >= report_at:
                # Salt's console shows warnings by default: a long task is not silent
                last = next((line for line in reversed(tail) if line), "")
                log.warning("PBS task %s still running after %s%s", label,
                            _duration(self.monotonic() - started), last and f": {last}")
                report_at = self.monotonic() + PROGRESS_EVERY
            remaining = deadline - self.monotonic()
            if remaining <= 0:
                raise errors.PbsTimeoutError(
                    f"PBS task {label} still running after {timeout:g}s; it continues on "
                    f"the server (check it with pbs.task_status {upid})",
                    upid=upid,
                    method="GET",
                    path=status_path,
                )
            self.sleep(min(interval, remaining))
            interval = min(interval * 1.5, max_interval)
        exitstatus = status.get("exitstatus")
        if exitstatus == "OK" or (isinstance(exitstatus, str) and _WARNINGS_RE.match(exitstatus)):
            if exitstatus != "OK":
                log.warning("PBS task %s finished with %s", label, exitstatus)
            return status
        last = [line for line in tail if line][-3:]
        detail = f"; last log lines: {' | '.join(last)}" if last else ""
        raise errors.PbsTaskError(
            errors.one_line(f"PBS task {label} failed: {exitstatus}{detail}", 1000)
            + f" ({upid})",
            upid=upid,
            exitstatus=exitstatus,
            log_tail=list(tail),
            method="GET",
            path=status_path,
            pbs_message=exitstatus,
        )


def get_client(
    opts: dict, context: dict | None, config_get: Callable | None, profile: str | None = None
) -> "PbsClient":
    """Return the :class:`PbsClient` for ``profile``, cached in ``context``.

    The cache lives in ``context["saltext.pbs.clients"]``, keyed by URL and auth id (never
    the secret); a cached client is rebuilt when any resolved setting differs.
    """
    conf = pbs_config.resolve_cached(config_get, opts, context, profile=profile)
    key = f"{conf['url']}|{conf.get('token_id') or conf.get('username')}"
    if context is None:
        return PbsClient(conf)
    clients = context.setdefault(CONTEXT_KEY, {})
    client = clients.get(key)
    if client is None or client.conf != conf:
        if client is not None:
            client.close()
        client = clients[key] = PbsClient(conf)
    return client


def client_from_loader(
    opts: dict, context: dict | None, salt_funcs: dict, profile: str | None = None
) -> "PbsClient":
    """One-line client access for execution modules.

    ``client_from_loader(__opts__, __context__, __salt__, profile)`` reads the ``pbs``
    block with ``config.get``.
    """
    return get_client(opts, context, salt_funcs["config.get"], profile=profile)


def _malformed(what, method, path):
    return errors.PbsMalformedResponseError(
        f"PBS answered something that is not {what}: {method} {path}",
        status=200,
        method=method,
        path=path,
    )


def _data_of(resp_or_data):
    """The ``data`` of a response (anything with ``data`` and ``digest``), else the value."""
    if hasattr(resp_or_data, "data") and hasattr(resp_or_data, "digest"):
        return resp_or_data.data
    return resp_or_data


def expect_list(resp_or_data, method, path):
    """The list of objects a list read answered (``None`` counts as empty), else raise
    :class:`~saltext.pbs.utils.errors.PbsMalformedResponseError`.

    ``resp_or_data`` is a :class:`PbsResponse` or its ``data``. Call it on every list read
    before acting on it, so nothing is written on the strength of a malformed read.
    """
    data = _data_of(resp_or_data)
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise _malformed("a list of objects", method, path)
    return data


def expect_object(resp_or_data, method, path):
    """The object (a JSON mapping) an item read answered, else raise
    :class:`~saltext.pbs.utils.errors.PbsMalformedResponseError`.

    ``resp_or_data`` is a :class:`PbsResponse` or its ``data``.
    """
    data = _data_of(resp_or_data)
    if not isinstance(data, dict):
        raise _malformed("an object", method, path)
    return data
