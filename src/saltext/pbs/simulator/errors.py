"""Errors a simulated endpoint raises, and the raw-response escape hatch.

PBS answers errors with the bare message as the body (not JSON) and, unless the handler
names another code, HTTP 400.
"""


class ApiError(Exception):
    """An error answered with ``status`` and ``message`` as a plain-text body."""

    def __init__(self, status, message, errors=None):
        super().__init__(message)
        self.status = int(status)
        self.message = str(message)
        self.errors = dict(errors or {})

    def __str__(self):
        return self.message


class ParamError(ApiError):
    """Parameter verification failure (HTTP 400), worded as PBS words it."""

    def __init__(self, errors):
        errors = dict(errors)
        if len(errors) == 1:
            ((name, msg),) = errors.items()
            message = f"parameter verification failed - '{name}': {msg}"
        else:
            lines = "".join(f"\n- '{name}': {msg}" for name, msg in errors.items())
            message = "parameter verification failed:" + lines
        super().__init__(400, message, errors)


class RawResponse:
    """Returned by a handler to send its own body instead of the ``{"data": ...}`` envelope.

    ``body`` is sent as JSON unless it is ``str``/``bytes``.
    """

    def __init__(self, body, status=200, content_type="application/json", headers=None):
        self.body = body
        self.status = int(status)
        self.content_type = content_type
        self.headers = dict(headers or {})
