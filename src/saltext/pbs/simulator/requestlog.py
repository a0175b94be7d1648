"""The request log: one JSON line per API request, secrets masked in the file.

The in-memory list of exchanges keeps the unmasked values, for contract checks in tests;
each exchange also says whether it was sent inside :meth:`RequestLog.fidelity` (a test that
sends deliberately invalid requests).
"""

import contextlib
import copy
import json
import threading

MASK = "***"
# Masked wherever they appear, whatever the endpoint declares.
ALWAYS_SECRET = frozenset({"password", "ticket", "CSRFPreventionToken"})
FILE_KEYS = ("method", "path", "query", "body", "content_type", "status", "response")


def _is_token_path(path):
    parts = path.split("/")
    return "token" in parts and "users" in parts


def mask(value, keys):
    """A copy of ``value`` with the values of ``keys`` (at any depth) replaced by ``***``."""
    if isinstance(value, dict):
        return {
            k: (MASK if k in keys and v is not None else mask(v, keys)) for k, v in value.items()
        }
    if isinstance(value, list):
        return [mask(v, keys) for v in value]
    return value


def mask_query(pairs, keys):
    return [[k, MASK if k in keys else v] for k, v in pairs or ()]


class RequestLog:
    def __init__(self, path=None):
        self.path = path
        self._lock = threading.Lock()
        self._exchanges = []
        self._fidelity = False
        if path:
            # A fresh log per simulator run.
            with open(path, "w", encoding="utf-8"):
                pass

    def record(self, entry, secrets=()):
        """Store one exchange (keys as FILE_KEYS) and append its masked form to the file."""
        entry = dict(entry)
        keys = ALWAYS_SECRET | set(secrets)
        if _is_token_path(entry.get("path") or ""):
            keys |= {"value"}
        line = {k: entry.get(k) for k in FILE_KEYS}
        line["query"] = mask_query(line["query"], keys)
        if isinstance(line["body"], str):
            # A body that could not be parsed: keep it only if it cannot hold a secret.
            if any(k in line["body"] for k in keys):
                line["body"] = MASK
        else:
            line["body"] = mask(line["body"], keys)
        line["response"] = mask(line["response"], keys)
        with self._lock:
            entry["fidelity"] = self._fidelity
            self._exchanges.append(entry)
            if self.path:
                with open(self.path, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(line, sort_keys=True) + "\n")

    def exchanges(self):
        with self._lock:
            return copy.deepcopy(self._exchanges)

    def clear(self):
        with self._lock:
            self._exchanges = []

    @contextlib.contextmanager
    def fidelity(self, flag=True):
        """Mark the exchanges made inside the block as deliberate protocol tests."""
        with self._lock:
            previous, self._fidelity = self._fidelity, bool(flag)
        try:
            yield
        finally:
            with self._lock:
                self._fidelity = previous
