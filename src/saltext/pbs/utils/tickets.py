"""Ticket sharing inside one process: one login per PBS, user and password.

A ``salt-call`` evaluates the ``pbs_server`` grain and then runs the states in the same
process, each with its own :class:`~saltext.pbs.utils.client.PbsClient`; without sharing
each would log in. The tickets live in this module's memory only (Python imports it once
per process; a forked job process inherits it), never on disk. Entries are keyed by URL,
user id and a keyed hash of the password (the key is random per process), so a changed
password logs in again and no password is kept here.
"""

import hashlib
import hmac
import secrets
import threading
import time

#: seconds a shared ticket is handed out; PBS tickets live 2 h, clients renew at 110 min
MAX_AGE = 6600.0

_KEY = secrets.token_bytes(32)
_LOCK = threading.Lock()
_TICKETS = {}


def _key(url, username, password):
    mac = hmac.new(_KEY, str(password).encode("utf-8"), hashlib.sha256).hexdigest()
    return (url, username, mac)


def get(url, username, password, now=None):
    """``(ticket, csrf, age_seconds)`` of a shared ticket, or None."""
    now = time.monotonic() if now is None else now
    with _LOCK:
        entry = _TICKETS.get(_key(url, username, password))
    if entry is None:
        return None
    ticket, csrf, since = entry
    age = now - since
    if age >= MAX_AGE or age < 0:
        return None
    return ticket, csrf, age


def put(url, username, password, ticket, csrf, now=None):
    """Share a ticket just obtained by a login."""
    now = time.monotonic() if now is None else now
    with _LOCK:
        _TICKETS[_key(url, username, password)] = (ticket, csrf, now)


def drop(url, username, password, ticket=None):
    """Forget the shared ticket (only when it is still ``ticket``, if given)."""
    with _LOCK:
        key = _key(url, username, password)
        entry = _TICKETS.get(key)
        if entry is not None and (ticket is None or entry[0] == ticket):
            del _TICKETS[key]


def clear():
    """Forget every shared ticket (tests)."""
    with _LOCK:
        _TICKETS.clear()
