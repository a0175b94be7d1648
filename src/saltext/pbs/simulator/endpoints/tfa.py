"""Second factors: ``/access/tfa``, ``/access/users/{userid}/unlock-tfa`` and the login
challenge.

PBS src/api2/access/tfa.rs, src/api2/access/user.rs (``unlock_tfa``), src/api2/access/mod.rs
(``user_update_auth``); proxmox-tfa api/{mod,methods,recovery}.rs, totp.rs, types.rs;
proxmox-auth-api api/access.rs (the ``!tfa!`` partial ticket). Rules reproduced:

* Entries per user (kept in the write-only store ``tfa``, as PBS keeps them in
  ``tfa.json``, with secrets): TOTP entries (id a UUID, ``description`` required, the
  otpauth URI's secret, digits, algorithm, period and the last counter used), at most one
  set of recovery keys (id ``recovery``, ten ``xxxx-xxxx-xxxx-xxxx`` keys, kept as hashes
  and shown once, in the POST answer); WebAuthn, U2F and Yubico entries need a browser or
  a hardware key and are not simulated (adding one answers what PBS answers without
  WebAuthn/U2F configured or the ``value``).
* Writes (POST, PUT, DELETE) check the caller: any user but ``root@pam`` (tokens: their
  user) must give their own ``password`` (401 ``missing password`` / the authenticator's
  error), and a user other than the caller must exist (401 ``user '<u>' does not
  exists.``). Adding TOTP needs ``totp`` and the current ``value`` of that URI (checked
  in the window -1..+1 period).
* GET and DELETE of an unknown entry: 404 ``no such tfa entry: <user>/<id>``; PUT: 404
  ``no such entry: <user>/<id>`` (the recovery entry cannot be updated).
* Login: a user with an enabled factor gets a partial ticket (``PBS:!tfa!<challenge>:``,
  CSRF ``invalid``) and completes with ``tfa-challenge`` plus ``totp:<code>`` or
  ``recovery:<key>`` (a recovery key works once). 8 TOTP failures lock TOTP
  (``totp-locked``), 100 second-factor failures lock every factor for an hour
  (``tfa-locked-until``); a recovery key clears both; ``unlock-tfa`` clears both and the
  counters.
"""

import base64
import hashlib
import hmac
import json
import secrets
import struct
import urllib.parse
import uuid

from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema as s
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.router import endpoint

STORE = "tfa"
TYPES = ("totp", "u2f", "webauthn", "recovery", "yubico")
TOTP_FAILURE_LIMIT = 8
TFA_FAILURE_LIMIT = 100
TFA_LOCK_TIME = 3600
PARTIAL_WINDOW = (-60, 600)

MODIFY_USERS = perms.Privilege("/access/users", "Permissions.Modify")
AUDIT_USERS = perms.Privilege("/access/users", "Sys.Audit")
SELF_OR_MODIFY = MODIFY_USERS | perms.SelfParam("userid")
PASSWORD = s.string(min_length=1, max_length=1024)
DESCRIPTION = s.string(max_length=255)


def _users(state):
    return state.secret_store(STORE)


def _now(ctx_or_sim):
    sim = getattr(ctx_or_sim, "sim", ctx_or_sim)
    return int(sim.clock.now())


def _data(state, userid, create=False):
    users = _users(state)
    if userid not in users and create:
        users[userid] = {"totp": [], "recovery": None, "totp-locked": False,
                         "tfa-locked-until": None, "totp-failures": 0, "tfa-failures": 0}
    return users.get(userid)


def _is_empty(data):
    return not data["totp"] and data["recovery"] is None


def _info(entry_type, entry):
    out = {"type": entry_type, "id": entry["id"]}
    if entry.get("description"):
        out["description"] = entry["description"]
    out["created"] = entry["created"]
    if entry.get("enable", True) is False:
        out["enable"] = False
    return out


def _entries(data):
    out = []
    if data["recovery"] is not None:
        out.append(_info("recovery", {"id": "recovery", "created": data["recovery"]["created"]}))
    out.extend(_info("totp", entry) for entry in data["totp"])
    return out


def _user_summary(ctx, userid, data):
    out = {"userid": userid, "entries": _entries(data)}
    if data["totp-locked"]:
        out["totp-locked"] = True
    until = data["tfa-locked-until"]
    if until is not None and until > _now(ctx):
        out["tfa-locked-until"] = until
    return out


def locked_state(ctx, userid):
    """``totp-locked`` / ``tfa-locked-until`` as the user list shows them."""
    data = _data(ctx.state, userid)
    if data is None:
        return {}
    summary = _user_summary(ctx, userid, data)
    return {k: summary[k] for k in ("totp-locked", "tfa-locked-until") if k in summary}


def remove_user(state, userid):
    """Deleting a user removes their second factors."""
    _users(state).pop(userid, None)


# -- caller checks (src/api2/access/mod.rs user_update_auth) ---------------------------------
def _update_auth(ctx, params, must_exist):
    caller = ctx.userid
    if caller != "root@pam":
        password = params.get("password")
        if password is None:
            raise ApiError(401, "missing password")
        if not ctx.state.check_password(caller, password):
            raise ApiError(401, "invalid credentials")
    if must_exist and caller != params["userid"] and ctx.state.user(params["userid"]) is None:
        raise ApiError(401, f"user '{params['userid']}' does not exists.")


# -- TOTP (proxmox-tfa totp.rs) ---------------------------------------------------------------
def parse_totp_uri(uri):
    """The TOTP parameters of an otpauth URI, or an ApiError with PBS's text."""
    if not uri.startswith("otpauth://totp/"):
        raise ApiError(400, "not an otpauth uri")
    rest = uri[len("otpauth://totp/"):]
    if "?" not in rest:
        raise ApiError(400, "missing '?' in otp uri")
    query = rest.split("?", 1)[1]
    totp = {"secret": b"", "digits": 6, "algorithm": "sha1", "period": 30}
    for part in query.split("&"):
        if "=" not in part:
            raise ApiError(400, "bad value in otpauth uri")
        key, value = (urllib.parse.unquote(p) for p in part.split("=", 1))
        if key == "secret":
            try:
                padded = value + "=" * (-len(value) % 8)
                totp["secret"] = base64.b32decode(padded, casefold=False)
            except ValueError:
                raise ApiError(400, "failed to decode otp secret in otpauth url") from None
        elif key in ("digits", "period"):
            if not value.isdigit() or int(value) == 0 or int(value) > (255 if key == "digits"
                                                                       else 2**32):
                raise ApiError(400, f"failed to parse value '{key}'")
            totp[key] = int(value)
        elif key == "algorithm":
            if value.lower() not in ("sha1", "sha256", "sha512"):
                raise ApiError(400, f"unsupported algorithm: '{value}'")
            totp["algorithm"] = value.lower()
        elif key != "issuer":
            raise ApiError(400, f"unknown otpauth uri parameter: '{key}'")
    if not totp["secret"]:
        raise ApiError(400, "missing secret in otpauth url")
    return totp


def totp_code(totp, counter):
    """The RFC 4226 value of ``counter`` (dynamic truncation), as digits."""
    mac = hmac.new(totp["secret"], struct.pack(">Q", counter), totp["algorithm"]).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(value % (10 ** totp["digits"])).zfill(totp["digits"])


def _totp_match(totp, code, now):
    counter = now // totp["period"]
    for step in (-1, 0, 1):
        if hmac.compare_digest(totp_code(totp, counter + step), code):
            return counter + step
    return None


# -- recovery keys (proxmox-tfa api/recovery.rs) ---------------------------------------------
def _key_hash(salt, key):
    return hmac.new(salt.encode(), key.encode(), hashlib.sha256).hexdigest()


def _new_recovery(now):
    salt = secrets.token_hex(8)
    keys = ["-".join(secrets.token_hex(2) for _ in range(4)) for _ in range(10)]
    return {"created": now, "salt": salt, "keys": [_key_hash(salt, k) for k in keys]}, keys


# -- endpoints --------------------------------------------------------------------------------
@endpoint("GET", "/access/tfa", params=None, permission=perms.Anybody())
def list_tfa(ctx, params):  # pylint: disable=unused-argument
    users = _users(ctx.state)
    if perms.has_privs(ctx.state, ctx.auth_id, "/access/users", ("Sys.Audit",)):
        return [_user_summary(ctx, userid, data) for userid, data in users.items()]
    own = users.get(ctx.userid)
    return [] if own is None else [_user_summary(ctx, ctx.userid, own)]


@endpoint(
    "GET", "/access/tfa/{userid}", params={"userid": s.USERID.req()}, permission=SELF_OR_MODIFY
)
def list_user_tfa(ctx, params):
    data = _data(ctx.state, params["userid"])
    return [] if data is None else _entries(data)


@endpoint(
    "POST",
    "/access/tfa/{userid}",
    params={
        "userid": s.USERID.req(),
        "description": DESCRIPTION,
        "type": s.enum(*TYPES).req(),
        "totp": s.string(),
        "value": s.string(),
        "challenge": s.string(),
        "password": PASSWORD,
    },
    permission=SELF_OR_MODIFY,
    secrets=("password", "totp", "value", "recovery"),
)
def add_tfa(ctx, params):
    _update_auth(ctx, params, must_exist=True)
    userid, kind = params["userid"], params["type"]
    totp, value, challenge = params.get("totp"), params.get("value"), params.get("challenge")
    if kind == "totp":
        if challenge is not None:
            raise ApiError(400, "'challenge' parameter is invalid for 'totp' entries")
        if params.get("description") is None:
            raise ApiError(400, "'description' is required for new entries")
        if totp is None or value is None:
            raise ApiError(400, "'totp' type requires both 'totp' and 'value' parameters")
        parsed = parse_totp_uri(totp)
        now = _now(ctx)
        if _totp_match(parsed, value, now) is None:
            raise ApiError(400, "failed to verify TOTP challenge")
        entry = {"id": str(uuid.uuid4()), "description": params["description"],
                 "created": now, "enable": True, "last-count": None,
                 "secret": base64.b32encode(parsed["secret"]).decode(),
                 **{k: parsed[k] for k in ("digits", "algorithm", "period")}}
        _data(ctx.state, userid, create=True)["totp"].append(entry)
        return {"id": entry["id"]}
    if kind == "recovery":
        if totp is not None or value is not None or challenge is not None:
            raise ApiError(400, "generating recovery tokens does not allow additional parameters")
        data = _data(ctx.state, userid, create=True)
        if data["recovery"] is not None:
            raise ApiError(400, "user already has recovery keys")
        data["recovery"], keys = _new_recovery(_now(ctx))
        return {"id": "recovery", "recovery": keys}
    if kind == "yubico":
        if totp is not None or challenge is not None:
            raise ApiError(
                400, "'totp' and 'challenge' parameters are invalid for 'yubico' entries"
            )
        raise ApiError(400, "missing 'value' parameter for 'yubico' entry" if value is None
                       else "yubico entries are not simulated")
    if totp is not None:
        raise ApiError(400, f"'totp' parameter is invalid for '{kind}' entries")
    # WebAuthn needs the relying-party settings and a browser; U2F an AppId and a key
    raise ApiError(400, f"{'u2f' if kind == 'u2f' else 'webauthn'} not configured")


def _find(data, entry_id):
    if data is None:
        return None, None
    if entry_id == "recovery" and data["recovery"] is not None:
        return "recovery", data["recovery"]
    for entry in data["totp"]:
        if entry["id"] == entry_id:
            return "totp", entry
    return None, None


ITEM = {"userid": s.USERID.req(), "id": s.string().req()}


@endpoint("GET", "/access/tfa/{userid}/{id}", params=ITEM, permission=SELF_OR_MODIFY)
def get_tfa(ctx, params):
    kind, entry = _find(_data(ctx.state, params["userid"]), params["id"])
    if entry is None:
        raise ApiError(404, f"no such tfa entry: {params['userid']}/{params['id']}")
    if kind == "recovery":
        return _info("recovery", {"id": "recovery", "created": entry["created"]})
    return _info(kind, entry)


@endpoint(
    "PUT",
    "/access/tfa/{userid}/{id}",
    params={**ITEM, "description": DESCRIPTION, "enable": s.boolean(), "password": PASSWORD},
    permission=SELF_OR_MODIFY,
    secrets=("password",),
)
def update_tfa(ctx, params):
    _update_auth(ctx, params, must_exist=True)
    kind, entry = _find(_data(ctx.state, params["userid"]), params["id"])
    if entry is None or kind == "recovery":
        raise ApiError(404, f"no such entry: {params['userid']}/{params['id']}")
    if "description" in params:
        entry["description"] = params["description"]
    if "enable" in params:
        entry["enable"] = params["enable"]


@endpoint(
    "DELETE",
    "/access/tfa/{userid}/{id}",
    params={**ITEM, "password": PASSWORD},
    permission=SELF_OR_MODIFY,
    secrets=("password",),
)
def delete_tfa(ctx, params):
    _update_auth(ctx, params, must_exist=False)
    userid = params["userid"]
    data = _data(ctx.state, userid)
    kind, entry = _find(data, params["id"])
    if entry is None:
        raise ApiError(404, f"no such tfa entry: {userid}/{params['id']}")
    if kind == "recovery":
        data["recovery"] = None
    else:
        data["totp"].remove(entry)
    if _is_empty(data):
        _users(ctx.state).pop(userid, None)


@endpoint(
    "PUT",
    "/access/users/{userid}/unlock-tfa",
    params={"userid": s.USERID.req()},
    permission=MODIFY_USERS,
)
def unlock_tfa(ctx, params):
    """Whether the user was locked out of a second factor; clears the locks and counters."""
    data = _data(ctx.state, params["userid"])
    if data is None:
        return False
    until = data["tfa-locked-until"]
    was = data["totp-locked"] or (until is not None and until > _now(ctx))
    data.update({"totp-locked": False, "tfa-locked-until": None, "totp-failures": 0,
                 "tfa-failures": 0})
    return bool(was)


# -- login (proxmox-auth-api api/access.rs, proxmox-tfa api/mod.rs) ---------------------------
def login_challenge(state, userid):
    """The challenge of a user with an enabled second factor (JSON text), or None."""
    data = _data(state, userid)
    if data is None:
        return None
    challenge = {}
    if any(entry.get("enable", True) for entry in data["totp"]):
        challenge["totp"] = True
    if data["recovery"] is not None:
        challenge["recovery"] = [i for i, k in enumerate(data["recovery"]["keys"]) if k]
    if not challenge:
        return None  # every factor disabled: PBS logs the user in with the password
    return json.dumps(challenge, separators=(",", ":"))


def verify_response(sim, userid, response):
    """Check a ``totp:<code>`` / ``recovery:<key>`` answer; counts failures and locks."""
    data = _data(sim.state, userid)
    if data is None:
        return False
    now = _now(sim)
    if data["tfa-locked-until"] is not None and data["tfa-locked-until"] > now:
        return False
    kind, _, value = response.partition(":")
    ok = False
    if kind == "totp":
        if data["totp-locked"]:
            return False
        for entry in data["totp"]:
            if not entry.get("enable", True):
                continue
            totp = {**entry, "secret": base64.b32decode(entry["secret"])}
            counter = _totp_match(totp, value, now)
            if counter is not None and (entry["last-count"] is None
                                        or counter > entry["last-count"]):
                entry["last-count"] = counter
                ok = True
                break
        data["totp-failures"] = 0 if ok else data["totp-failures"] + 1
    elif kind == "recovery" and data["recovery"] is not None:
        recovery = data["recovery"]
        digest = _key_hash(recovery["salt"], value)
        if digest in recovery["keys"]:
            recovery["keys"][recovery["keys"].index(digest)] = None
            data.update({"totp-locked": False, "tfa-locked-until": None, "totp-failures": 0})
            ok = True
    if ok:
        data["tfa-failures"] = 0
        return True
    data["tfa-failures"] += 1
    if kind == "totp" and data["totp-failures"] >= TOTP_FAILURE_LIMIT:
        data["totp-locked"] = True
    if data["tfa-failures"] >= TFA_FAILURE_LIMIT:
        data["tfa-locked-until"] = now + TFA_LOCK_TIME
    return False
