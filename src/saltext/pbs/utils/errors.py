"""Exceptions raised by the PBS client, and the mapping from PBS error responses to them.

PBS answers errors with a plain-text body (not JSON) and uses HTTP 400 for most of them,
including "not found" and handler-level permission failures. :func:`from_response` reads
the status *and* the text to pick the right class.

Every class subclasses :class:`salt.exceptions.CommandExecutionError`, so ``salt-call``
prints a one-line ``ERROR:`` and states can catch specific failures. Messages are one line,
name the cause and end with ``(METHOD /path)``. They never contain secrets: the client
never passes request bodies or headers here, only PBS's answer, and it hands over the
request's secret values so that an answer echoing them (a 400 quoting the body, a gateway
page) is redacted, plain and encoded forms alike (:func:`redact`).
"""

import base64
import binascii
import http
import re
import urllib.parse

from salt.exceptions import CommandExecutionError

__all__ = [
    "PbsError",
    "PbsConnectionError",
    "PbsAuthenticationError",
    "PbsPermissionError",
    "PbsNotFoundError",
    "PbsConflictError",
    "PbsAlreadyExistsError",
    "PbsBadRequestError",
    "PbsServerError",
    "PbsGatewayError",
    "PbsMalformedResponseError",
    "PbsTaskError",
    "PbsTimeoutError",
    "from_response",
    "parse_parameter_errors",
    "secret_values",
    "redact",
]

# Longest PBS text we quote in a message; anything longer is usually an HTML page from a
# reverse proxy.
_MAX_TEXT = 400


class PbsError(CommandExecutionError):
    """Base class of every PBS failure.

    ``status`` is the HTTP status (``None`` when no response arrived), ``method`` and
    ``path`` name the request (path relative to ``/api2/json``), ``pbs_message`` is PBS's
    own error text and ``errors`` maps parameter names to PBS's per-parameter messages
    (empty unless PBS reported ``parameter verification failed``).
    """

    def __init__(
        self, message, status=None, method=None, path=None, pbs_message=None, errors=None
    ):
        super().__init__(message)
        self.status = status
        self.method = method
        self.path = path
        self.pbs_message = pbs_message
        self.errors = dict(errors or {})


class PbsConnectionError(PbsError):
    """PBS could not be reached: refused, DNS, TLS failure, fingerprint mismatch, timeout.

    ``reason`` is one of ``unreachable``, ``timeout``, ``tls`` or ``fingerprint``.
    """

    def __init__(self, message, reason="unreachable", **kwargs):
        super().__init__(message, **kwargs)
        self.reason = reason


class PbsAuthenticationError(PbsError):
    """HTTP 401: bad token, bad password, expired or disabled user, wrong token dialect."""


class PbsPermissionError(PbsError):
    """403, or 400 ``missing permissions ...`` / ``permission check failed``."""


class PbsNotFoundError(PbsError):
    """404, or 400 ``no such <type> '<id>'`` / ``... does not exist``."""


class PbsConflictError(PbsError):
    """400 ``detected modified configuration``: the digest no longer matches."""


class PbsAlreadyExistsError(PbsError):
    """Create of an id that already exists."""


class PbsBadRequestError(PbsError):
    """Any other 4xx; ``errors`` holds PBS's per-parameter messages."""


class PbsServerError(PbsError):
    """HTTP 5xx, or a response that is not the JSON PBS sends."""


class PbsGatewayError(PbsServerError):
    """HTTP 502/503/504, or an HTML error page: something in front of PBS answered.

    PBS itself never answers with these statuses (its proxy turns a failed hop to the API
    daemon into a 400) and writes its errors as plain text, not HTML.
    """


class PbsMalformedResponseError(PbsServerError):
    """PBS (or something in its place) answered with a body of the wrong shape."""


class PbsTaskError(PbsError):
    """A PBS task ended with an exit status other than ``OK`` or ``WARNINGS: <n>``."""

    def __init__(self, message, upid=None, exitstatus=None, log_tail=None, **kwargs):
        super().__init__(message, **kwargs)
        self.upid = upid
        self.exitstatus = exitstatus
        self.log_tail = list(log_tail or [])


class PbsTimeoutError(PbsError):
    """Waiting for a PBS task took longer than allowed; the task may still be running."""

    def __init__(self, message, upid=None, **kwargs):
        super().__init__(message, **kwargs)
        self.upid = upid


# Request fields whose values are secrets (remote, user and LDAP passwords, S3 secret keys,
# metric and Gotify tokens, webhook secrets, ACME EAB keys, subscription keys ...).
_SECRET_FIELD = re.compile(r"password|secret|token|key|hmac", re.IGNORECASE)
# Shorter values would blank out ordinary words; no PBS secret is this short.
_MIN_SECRET = 4
REDACTED = "***"


def secret_values(body=None, extra=()):
    """The secret strings in a request ``body`` (values of secret-named fields, nested
    too) plus ``extra`` (the connection's password or token secret)."""
    found = [str(value) for value in extra if value]

    def walk(value, secret):
        if isinstance(value, dict):
            for key, val in value.items():
                walk(val, secret or bool(_SECRET_FIELD.search(str(key))))
        elif isinstance(value, (list, tuple, set, frozenset)):
            for val in value:
                walk(val, secret)
        elif secret and value is not None and not isinstance(value, bool):
            found.append(str(value))

    walk(body or {}, False)
    return found


def _forms(secret):
    """A secret as it may come back: plain, its ``k=v`` parts, base64 and URL encoded."""
    parts = [secret]
    if "=" in secret:  # a property string such as "name=x,value=<base64>"
        parts += [item.partition("=")[2] for item in secret.split(",") if "=" in item]
    forms = set()
    for part in parts:
        raw = part.encode()
        encoded = base64.b64encode(raw).decode()
        forms.update({part, encoded, encoded.rstrip("=")})
        forms.update({base64.urlsafe_b64encode(raw).decode().rstrip("=")})
        forms.update({urllib.parse.quote(part, safe=""), urllib.parse.quote_plus(part)})
        try:  # a secret given base64-encoded (webhook secrets) may be echoed decoded
            forms.add(base64.b64decode(part, validate=True).decode())
        except (binascii.Error, ValueError):
            pass
    return {form for form in forms if len(form) >= _MIN_SECRET}


def redact(text, secrets):
    """``text`` with every form of every secret in ``secrets`` replaced by ``***``."""
    if not text or not secrets:
        return text
    forms = set()
    for secret in secrets:
        forms |= _forms(str(secret))
    for form in sorted(forms, key=len, reverse=True):  # longest first: no partial leftovers
        text = text.replace(form, REDACTED)
    return text


_PARAM_PREFIX = "parameter verification failed"
# "- 'name': message" (several errors, one per line) or "'name': message" (one error)
_PARAM_LINE = re.compile(r"^\s*-?\s*'(?P<name>[^']+)'\s*:\s*(?P<msg>.*)$")


def one_line(text, limit=_MAX_TEXT):
    """Collapse whitespace (PBS texts may span lines) and cut very long texts."""
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 3].rstrip() + "..."
    return text


def parse_parameter_errors(text):
    """Return ``{param: message}`` from a ``parameter verification failed`` text.

    Handles both of PBS's forms::

        parameter verification failed - 'name': datastore 'x' already exists.
        parameter verification failed:
        - 'gc-schedule': unable to parse calendar event
        - 'delete/[0]': value 'path' is not defined in the enumeration.
    """
    text = str(text or "").strip()
    if not text.startswith(_PARAM_PREFIX):
        return {}
    rest = text[len(_PARAM_PREFIX) :].lstrip()
    if rest.startswith("-") and "\n" not in rest:
        rest = rest[1:]
    elif rest.startswith(":"):
        rest = rest[1:]
    errors = {}
    last = None
    for line in rest.splitlines():
        if not line.strip():
            continue
        match = _PARAM_LINE.match(line)
        if match:
            last = match.group("name")
            errors[last] = match.group("msg").strip()
        elif last is not None:
            # A message that itself spans several lines continues the previous entry.
            errors[last] = f"{errors[last]} {line.strip()}".strip()
    return errors


def _request_label(method, path):
    if method and path:
        return f" ({method} {path})"
    return ""


def _classify(status, text):
    """Pick the exception class for a PBS error answer."""
    lowered = text.lower()
    if status == 401:
        return PbsAuthenticationError
    if status == 403:
        return PbsPermissionError
    if status >= 500:
        return PbsServerError
    if "detected modified configuration" in lowered:
        return PbsConflictError
    if (
        lowered.startswith("permission check failed")
        or "missing permissions" in lowered
        or "task access not allowed" in lowered
    ):
        return PbsPermissionError
    # "cannot create new namespace, parent x doesn't already exists" names a *missing*
    # parent, not an existing object.
    if "already exists" in lowered and "doesn't already exist" not in lowered:
        return PbsAlreadyExistsError
    if (
        status == 404
        or lowered.startswith("no such ")
        or "': no such " in lowered
        or "does not exist" in lowered
        or "doesn't already exist" in lowered
        or re.search(r"\bnot found\b", lowered)
    ):
        return PbsNotFoundError
    return PbsBadRequestError


_PREFIX = {
    PbsAuthenticationError: "PBS authentication failed",
    PbsPermissionError: "PBS denied permission",
    PbsNotFoundError: "PBS object not found",
    PbsConflictError: "PBS configuration was changed concurrently (digest mismatch)",
    PbsAlreadyExistsError: "PBS object already exists",
    PbsBadRequestError: "PBS rejected the request",
    PbsServerError: "PBS server error",
}


_GATEWAY_STATUSES = (502, 503, 504)


def _status_text(status):
    try:
        return f"HTTP {status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def _gateway_message(status, text):
    """The message for an answer that came from a gateway, or ``None`` if PBS answered."""
    html = text.lstrip()[:1] == "<"
    if int(status) in _GATEWAY_STATUSES:
        if html:
            detail = " with an HTML error page"
        elif text:
            detail = f": {one_line(text)}"
        else:
            detail = " with an empty body"
        return f"PBS gateway failed: {_status_text(status)}{detail}; PBS or the way to it is down"
    if html and int(status) not in (401, 403):
        # e.g. a reverse proxy's own 404 page: not PBS saying an object does not exist.
        return (
            f"PBS gateway failed: {_status_text(status)} with an HTML error page; something "
            "other than PBS answered, check that 'url' points at PBS"
        )
    return None


def from_response(status, body, method=None, path=None, hint=None, secrets=()):
    """Map a PBS error answer to an exception instance (returned, not raised).

    ``status`` is the HTTP status, ``body`` PBS's plain-text body (``bytes`` or ``str``),
    ``method`` and ``path`` the request (path relative to ``/api2/json``, no query).
    ``hint`` is appended to the message (e.g. which credentials to check). Every form of
    the strings in ``secrets`` is redacted from the text before it is used.
    """
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    text = redact(str(body or "").strip(), secrets)
    gateway = _gateway_message(status, text)
    if gateway:
        # A gateway's page says nothing about credentials, objects or parameters.
        return PbsGatewayError(
            gateway + _request_label(method, path),
            status=int(status),
            method=method,
            path=path,
            pbs_message=None,
        )
    cls = _classify(int(status), text)
    errors = parse_parameter_errors(text)
    if errors:
        detail = "; ".join(f"parameter '{name}': {msg}" for name, msg in errors.items())
    elif text:
        detail = text
    else:
        detail = f"HTTP {status} with an empty body"
    if cls is PbsServerError and text:
        detail = f"HTTP {status}: {detail}"
    prefix = _PREFIX[cls]
    message = f"{prefix}: {one_line(detail)}"
    if hint:
        message = f"{message}; {hint}"
    message += _request_label(method, path)
    return cls(
        message,
        status=int(status),
        method=method,
        path=path,
        pbs_message=text or None,
        errors=errors,
    )
