"""Authentication as PBS does it: tickets with CSRF tokens, and API tokens.

Ticket: ``PBS:<userid>:<8 upper-case hex epoch>::<base64 signature>``, signed with a key
that lives as long as the simulator. CSRF token: ``<hex epoch>:<base64 HMAC>`` bound to the
user. Both are valid from 300 s before to 7200 s after their timestamp, measured on the
simulator's clock (so tests can expire them by advancing the clock).
"""

import base64
import hashlib
import hmac
import secrets
import urllib.parse

from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema
from saltext.pbs.simulator.endpoints import tfa
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.errors import RawResponse
from saltext.pbs.simulator.router import endpoint

TICKET_PREFIX = "PBS"
TICKET_LIFETIME = 7200
TICKET_MIN_AGE = -300
COOKIE_NAMES = ("__Host-PBSAuthCookie", "PBSAuthCookie")
CLEAR_COOKIE = (
    "__Host-PBSAuthCookie=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; "
    "Secure; SameSite=Lax; HttpOnly; Path=/;"
)
AUTH_FAILED = "authentication failed"
LOGIN_FAILED = "permission check failed."


class Unauthenticated(Exception):
    """The request carries no valid credentials (answered with 401)."""


class Identity:
    """Who a request runs as."""

    def __init__(self, auth_id, via):
        self.auth_id = auth_id
        self.userid, _, token = auth_id.partition("!")
        self.token_name = token or None
        self.via = via  # "ticket" | "token"


def _encode_userid(userid):
    # PBS percent-encodes only what would break the ticket's syntax.
    return "".join(
        f"%{ord(c):02X}" if c in ":%" or ord(c) < 0x20 or ord(c) == 0x7F else c for c in userid
    )


def _b64(raw):
    return base64.b64encode(raw).decode("ascii").rstrip("=")


class TicketAuthority:
    """Issues and verifies tickets and CSRF tokens for one simulator."""

    def __init__(self, clock):
        self.clock = clock
        self._key = secrets.token_bytes(32)
        # Tickets stamped before this epoch count as expired (the expire_tickets fault).
        self._not_before = 0

    def _sign(self, text):
        return _b64(hmac.new(self._key, text.encode("utf-8"), hashlib.sha256).digest())

    def _stamp(self):
        # PBS accepts stamps up to 300 s in the future, so stamping a new ticket at the
        # cut-off keeps it apart from (identical-looking) tickets expired this second.
        return f"{max(int(self.clock.now()), self._not_before):08X}"

    def _fresh(self, stamp):
        try:
            issued = int(stamp, 16)
        except ValueError:
            return False
        age = int(self.clock.now()) - issued
        return TICKET_MIN_AGE <= age <= TICKET_LIFETIME

    def issue(self, userid):
        """Return ``(ticket, csrf_token)`` for ``userid``."""
        stamp = self._stamp()
        data = f"{TICKET_PREFIX}:{_encode_userid(userid)}:{stamp}"
        ticket = f"{data}::{self._sign(data)}"
        return ticket, self.csrf_token(userid, stamp)

    def issue_partial(self, userid, challenge):
        """A ``!tfa!`` ticket carrying the second-factor ``challenge`` (JSON text), signed
        for ``userid`` (the partial ticket of a login that needs a second factor)."""
        data = f"{TICKET_PREFIX}:{_encode_userid('!tfa!' + challenge)}:{self._stamp()}"
        return f"{data}::{self._sign(data + ':' + userid)}"

    def verify_partial(self, ticket, userid):
        """Whether ``ticket`` is a partial ticket for ``userid`` of the last 10 minutes."""
        data, sep, signature = ticket.rpartition("::")
        parts = data.split(":")
        if not sep or len(parts) != 3 or not parts[1].startswith("!tfa!"):
            return False
        if not hmac.compare_digest(self._sign(data + ":" + userid), signature):
            return False
        try:
            age = int(self.clock.now()) - int(parts[2], 16)
        except ValueError:
            return False
        return -60 <= age < 600

    def csrf_token(self, userid, stamp=None):
        stamp = stamp or self._stamp()
        return f"{stamp}:{self._sign(stamp + ':' + userid)}"

    def verify_ticket(self, ticket):
        """Return the userid of a valid ticket, else None."""
        data, sep, signature = ticket.rpartition("::")
        if not sep or not hmac.compare_digest(self._sign(data), signature):
            return None
        parts = data.split(":")
        if len(parts) != 3 or parts[0] != TICKET_PREFIX or not self._fresh(parts[2]):
            return None
        if int(parts[2], 16) < self._not_before:
            return None
        return urllib.parse.unquote(parts[1])

    def verify_csrf(self, token, userid):
        stamp, sep, signature = (token or "").partition(":")
        if not sep or not self._fresh(stamp):
            return False
        return hmac.compare_digest(self._sign(stamp + ":" + userid), signature)

    def expire_all(self):
        """Make every ticket issued so far invalid, as if its lifetime had passed."""
        # Past the previous cut-off too: a ticket re-issued after an expiry in this same
        # second carries that cut-off as its stamp and must fall under a second expiry.
        self._not_before = max(int(self.clock.now()), self._not_before) + 1


def cookie_ticket(cookie_header):
    """The ticket from a Cookie header, or None.

    ``__Host-PBSAuthCookie`` wins over ``PBSAuthCookie``; the value is percent-decoded. As in
    PBS, a pair without ``=`` makes the whole header unusable.
    """
    if not cookie_header:
        return None
    found = {}
    for pair in cookie_header.split(";"):
        pair = pair.strip()
        if not pair:
            continue
        name, sep, value = pair.partition("=")
        if not sep:
            return None
        found.setdefault(name.strip(), urllib.parse.unquote(value.strip()))
    for name in COOKIE_NAMES:
        if name in found:
            return found[name]
    return None


def token_credentials(authorization):
    """``(tokenid, secret)`` from ``PBSAPIToken=<tokenid>:<secret>`` (or a space), or None."""
    prefix = "PBSAPIToken"
    if not authorization or not authorization.startswith(prefix):
        return None
    rest = authorization[len(prefix) :]
    if not rest or rest[0] not in "= ":
        return None
    tokenid, sep, secret = rest[1:].partition(":")
    if not sep or "!" not in tokenid:
        return None
    return tokenid, urllib.parse.unquote(secret)


def authenticate(sim, method, headers):
    """Return the :class:`Identity` of a request or raise :class:`Unauthenticated`."""
    ticket = cookie_ticket(headers.get("Cookie"))
    if ticket is not None:
        # A ticket cookie wins; the Authorization header is then ignored.
        userid = sim.tickets.verify_ticket(ticket)
        if userid is None or not sim.state.auth_active(userid):
            raise Unauthenticated()
        if method != "GET" and not sim.tickets.verify_csrf(
            headers.get("CSRFPreventionToken"), userid
        ):
            raise Unauthenticated()
        return Identity(userid, "ticket")
    creds = token_credentials(headers.get("Authorization"))
    if creds is None:
        raise Unauthenticated()
    tokenid, secret = creds
    if not sim.state.check_token(tokenid, secret):
        raise Unauthenticated()
    return Identity(tokenid, "token")


def _ticket_body(data):
    return {"data": data, "status": 200, "success": True}


TICKET_PARAMS = {
    "username": schema.USERID.req(),
    "password": schema.string(),
    "tfa-challenge": schema.string(),
    "path": schema.string(),
    "privs": schema.string(),
    "port": schema.integer(minimum=0, maximum=65535),
    "http-only": schema.boolean(),
}


@endpoint(
    "POST",
    "/access/ticket",
    params=TICKET_PARAMS,
    permission=perms.World(),
    secrets=("password", "ticket", "CSRFPreventionToken", "tfa-challenge"),
)
def create_ticket(ctx, params):
    """Log in with a password, or refresh a still-valid ticket given as password."""
    sim = ctx.sim
    userid = params["username"]
    password = params.get("password")
    if password is None:
        # Only allowed when the ticket comes in a cookie (browser refresh).
        password = cookie_ticket(ctx.headers.get("Cookie"))
    if password is None or "!" in userid:
        raise ApiError(401, LOGIN_FAILED)
    challenge = None
    if params.get("tfa-challenge") is not None:
        # the second step of a login with a second factor: the password is the response
        ok = sim.state.auth_active(userid) and sim.tickets.verify_partial(
            params["tfa-challenge"], userid
        ) and tfa.verify_response(sim, userid, password)
    elif password.startswith(TICKET_PREFIX + ":"):
        ok = sim.tickets.verify_ticket(password) == userid
    else:
        ok = sim.state.check_password(userid, password)
        challenge = tfa.login_challenge(sim.state, userid) if ok else None
    if not ok or not sim.state.auth_active(userid):
        raise ApiError(401, LOGIN_FAILED)
    if challenge is not None:
        data = {"username": userid, "ticket": sim.tickets.issue_partial(userid, challenge),
                "CSRFPreventionToken": "invalid"}
        return RawResponse(_ticket_body(data))
    ticket, csrf = sim.tickets.issue(userid)
    if params.get("http-only"):
        data = {
            "username": userid,
            "CSRFPreventionToken": csrf,
            "ticket-info": ticket.rpartition("::")[0] + "::",
        }
        cookie = f"__Host-PBSAuthCookie={ticket}; Secure; SameSite=Lax; HttpOnly; Path=/;"
        return RawResponse(_ticket_body(data), headers={"Set-Cookie": cookie})
    data = {"username": userid, "ticket": ticket, "CSRFPreventionToken": csrf}
    return RawResponse(_ticket_body(data))


@endpoint("DELETE", "/access/ticket", params=None, permission=perms.World())
def delete_ticket(ctx, params):  # pylint: disable=unused-argument
    """Log out: PBS only clears the cookie."""
    return RawResponse(_ticket_body({}), headers={"Set-Cookie": CLEAR_COOKIE})
