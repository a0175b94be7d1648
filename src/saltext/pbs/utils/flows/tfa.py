"""
Flows of second factors (``/access/tfa``): list, add, update and remove a user's TOTP
entries and recovery keys, and unlock a user locked out by failed attempts.

What PBS rules (PBS src/api2/access/tfa.rs, proxmox-tfa api/methods.rs):

* Entries have an id (a UUID; the recovery keys always ``recovery``), a ``description``
  (required for TOTP), ``created`` and ``enable``. Only TOTP and recovery keys can be
  added by an API client: WebAuthn and U2F need a browser and the authenticator's
  signature, Yubico a hardware key's OTP and a validation server PBS does not configure.
* Adding TOTP sends the ``otpauth://totp/`` URI and the URI's current code, which proves
  the secret works; PBS checks the code within one period either side.
* Recovery keys: one set of ten per user, shown once in the answer that creates them.
* Every change asks callers other than ``root@pam`` (an API token: its user) for their
  own password, which PBS checks before anything else; the profile's password is used
  when the profile logs in as that user.

Secrets never leave through returns or logs: a TOTP secret comes from the caller (pillar,
sdb) or is generated and written, as its otpauth URI, to the sink the caller names, and
recovery keys go only to that sink (``secret_file``, 0600, or ``secret_sdb``), as token
secrets do (:mod:`saltext.pbs.utils.kinds.token_sink`).
"""

import base64
import hashlib
import hmac
import secrets as _random
import struct
import time
import urllib.parse

from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import catalog
from saltext.pbs.utils import files
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.errors import PbsAuthenticationError
from saltext.pbs.utils.errors import PbsNotFoundError
from saltext.pbs.utils.flows import engine_client
from saltext.pbs.utils.kinds.access import SUPERUSER
from saltext.pbs.utils.kinds.token_sink import Sink
from saltext.pbs.utils.kinds.users import USER

ADDABLE = ("totp", "recovery")
BROWSER_ONLY = {
    "webauthn": "needs a browser and the authenticator's signature",
    "u2f": "needs a browser and the security key's signature",
    "yubico": "needs a YubiKey's one-time password and a Yubico validation server",
}
DESCRIPTION = catalog.Prop("description", max_length=255, min_length=1)
ENABLE = catalog.Prop("enable", "boolean")
TOTP_PERIOD = 30
TOTP_DIGITS = 6


# ----- TOTP (RFC 6238 with PBS's defaults: SHA-1, 6 digits, 30 s) ---------------------------
def check_secret(secret, field="secret"):
    """A base32 TOTP secret (blanks and padding ignored), upper-cased; raises naming the
    field, never quoting the value."""
    if not isinstance(secret, str) or not secret.strip():
        raise catalog.invalid(field, "expected a base32 TOTP secret (letters A-Z, digits 2-7)")
    text = "".join(secret.split()).rstrip("=").upper()
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except ValueError:
        raise catalog.invalid(
            field, "not base32 (a TOTP secret has only the letters A-Z and the digits 2-7)"
        ) from None
    if len(raw) < 10:
        raise catalog.invalid(
            field, "too short: a TOTP secret needs at least 80 bits (16 characters)"
        )
    return text


def new_secret():
    """A random 160-bit TOTP secret, base32 without padding."""
    return base64.b32encode(_random.token_bytes(20)).decode().rstrip("=")


def totp_code(secret, at=None, period=TOTP_PERIOD, digits=TOTP_DIGITS):
    """The TOTP code of base32 ``secret`` at epoch ``at`` (now when None)."""
    raw = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // period)
    mac = hmac.new(raw, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def totp_uri(userid, secret, issuer="Proxmox Backup Server"):
    """The otpauth URI authenticator apps import (and PBS parses)."""
    label = urllib.parse.quote(f"{issuer}:{userid}", safe="")
    return (
        f"otpauth://totp/{label}?secret={secret}&digits={TOTP_DIGITS}&algorithm=SHA1"
        f"&period={TOTP_PERIOD}&issuer={urllib.parse.quote(issuer, safe='')}"
    )


# ----- sinks -----------------------------------------------------------------------------------
class FactorSink(Sink):
    """Where a second factor's secret goes: the TOTP otpauth URI, or the recovery keys one
    per line (``#`` lines are comments). An sdb sink receives the same text."""

    @classmethod
    def from_args(cls, secret_file=None, secret_sdb=None, opts=None, utils=None):
        if secret_file is not None and secret_sdb is not None:
            raise SaltInvocationError(
                "Give either 'secret_file' or 'secret_sdb' for the second factor, not both"
            )
        return super().from_args(secret_file, secret_sdb, opts, utils)

    def write(self, tokenid, secret):
        try:
            if self.path:
                files.write_private(self.path, secret)
            else:
                from salt.utils import sdb  # pylint: disable=import-outside-toplevel

                if not sdb.sdb_set(self.uri, secret, self.opts, self.utils):
                    raise CommandExecutionError(f"sdb refused to store the value at {self.uri}")
        except Exception as err:  # pylint: disable=broad-except
            reason = err.strerror if isinstance(err, OSError) else type(err).__name__
            raise CommandExecutionError(
                f"The secret of second factor {tokenid} could not be written to {self}"
                f" ({reason}); remove the factor with pbs_tfa.delete and add it again"
            ) from None

    def read(self, tokenid):  # pylint: disable=unused-argument
        if self.path:
            try:
                with open(self.path, encoding="utf-8") as fh:
                    text = fh.read()
            except OSError:
                return None
            return text if text.strip() else None
        return super().read(tokenid)


def recovery_text(userid, keys):
    """The recovery sink's content: a comment, then one key per line (in PBS's order)."""
    head = f"# recovery keys of {userid}: each works once, as 'recovery:<key>' at login\n"
    return head + "".join(f"{key}\n" for key in keys)


def recovery_keys(text):
    """The keys of a recovery sink's content."""
    return [ln.strip() for ln in (text or "").splitlines() if ln.strip() and ln[0] != "#"]


# ----- requests --------------------------------------------------------------------------------
def _userid(userid):
    return USER.check_id(userid)


def caller_password(client, password):
    """The ``password`` a change must carry: none for ``root@pam`` (and its tokens), else
    the caller's own password, given or taken from a profile logging in as that user."""
    caller = str(getattr(client, "auth_id", "") or "").split("!", 1)[0]
    if caller == SUPERUSER:
        return None
    if password is not None:
        if not isinstance(password, str) or not password:
            raise catalog.invalid("password", "expected the caller's password (text)")
        return password
    conf = getattr(client, "conf", {}) or {}
    if not getattr(client, "token_id", None) and conf.get("password"):
        return conf["password"]
    raise SaltInvocationError(
        f"PBS asks every caller but root@pam for their own password before changing a"
        f" second factor; this profile authenticates as '{caller}' with an API token, so"
        f" give 'password' (the password of {caller})"
    )


def _refused_password(err, client, userid):
    """A 401 on a TFA change: PBS's reason (the caller's password, or an unknown user)."""
    reason = getattr(err, "pbs_message", None) or str(err)
    caller = str(getattr(client, "auth_id", "") or "").split("!", 1)[0]
    return PbsAuthenticationError(
        f"PBS refused the change to the second factors of '{userid}': {reason} (a caller"
        f" other than root@pam must give their own password; this one is {caller})",
        status=401,
    )


def _user_must_exist(client, userid):
    catalog.must_exist(client, "userid", "/access/users/{name}", userid, "the user")


def list_tfa(client, userid=None):
    """Every user's factors (``[{userid, entries, totp-locked?, tfa-locked-until?}]``), or
    one user's entries."""
    if userid is None:
        return client.get_list("/access/tfa")
    return client.get_list(client.path("/access/tfa/{userid}", userid=_userid(userid)))


def get_tfa(client, userid, entry_id):
    """One entry, or None."""
    if not isinstance(entry_id, str) or not entry_id:
        raise catalog.invalid("id", "expected a TFA entry id (see pbs_tfa.list)")
    path = client.path("/access/tfa/{userid}/{id}", userid=_userid(userid), id=entry_id)
    try:
        return client.get_object(path)
    except PbsNotFoundError:
        return None


def check_type(type_name):
    """A type an API client can add; the others are refused naming why."""
    if type_name is None:
        raise catalog.invalid("type", f"required: {' or '.join(ADDABLE)}")
    if not isinstance(type_name, str):
        raise catalog.invalid("type", f"expected {' or '.join(ADDABLE)}")
    if type_name in BROWSER_ONLY:
        raise catalog.invalid(
            "type",
            f"'{type_name}' {BROWSER_ONLY[type_name]}, so an API client cannot add it; add it"
            f" in the PBS web interface (this module adds {' and '.join(ADDABLE)})",
        )
    if type_name not in ADDABLE:
        raise catalog.invalid("type", f"{type_name!r} is not one of {', '.join(ADDABLE)}")
    return type_name


def add_tfa(client, userid, type_name, description=None, secret=None, sink=None, password=None):
    """
    Add a TOTP entry or recovery keys to ``userid``. Returns ``{"id", "type",
    "secret_written_to"}``: the keys (or a generated TOTP secret's URI) go to ``sink``
    only. All input is checked before the first request.
    """
    userid = _userid(userid)
    check_type(type_name)
    body = {"type": type_name}
    if type_name == "totp":
        if description is None:
            raise catalog.invalid("description", "required for a TOTP entry (it names it)")
        body["description"] = DESCRIPTION.coerce(description, "description")
        if secret is None and sink is None:
            raise SaltInvocationError(
                "A TOTP entry needs 'secret' (base32, e.g. from pillar or sdb) or a sink"
                " ('secret_file' or 'secret_sdb') for a generated one"
            )
        secret = check_secret(secret) if secret is not None else new_secret()
    else:
        if secret is not None:
            raise catalog.invalid("secret", "recovery keys are generated by PBS")
        if description is not None:
            raise catalog.invalid("description", "recovery keys have no description in PBS")
        if sink is None:
            raise SaltInvocationError(
                "Recovery keys need 'secret_file' or 'secret_sdb': PBS shows them only once"
            )
    password = caller_password(client, password)
    if sink is not None:
        sink.check()
    _user_must_exist(client, userid)
    if password is not None:
        body["password"] = password
    path = client.path("/access/tfa/{userid}", userid=userid)
    if type_name == "totp":
        uri = totp_uri(userid, secret)
        body.update(totp=uri, value=totp_code(secret))
    try:
        result = client.post(path, data=body).data or {}
    except PbsAuthenticationError as err:
        raise _refused_password(err, client, userid) from None
    if type_name == "totp":
        text = uri + "\n"
    else:
        keys = result.get("recovery") if isinstance(result, dict) else None
        if not isinstance(keys, list) or not keys:
            raise CommandExecutionError(f"PBS returned no recovery keys for '{userid}'")
        text = recovery_text(userid, keys)
    out = {"userid": userid, "id": result.get("id"), "type": type_name,
           "secret_written_to": None}
    if sink is not None:
        sink.write(f"'{type_name}' of '{userid}'", text)
        out["secret_written_to"] = str(sink)
    return out


def update_tfa(client, userid, entry_id, description=None, enable=None, password=None):
    """Change an entry's ``description`` or ``enable`` (not possible for recovery keys)."""
    userid = _userid(userid)
    if entry_id == "recovery":
        raise catalog.invalid("id", "PBS cannot update recovery keys (only delete them)")
    body = {}
    if description is not None:
        body["description"] = DESCRIPTION.coerce(description, "description")
    if enable is not None:
        body["enable"] = ENABLE.coerce(enable, "enable")
    if not body:
        raise SaltInvocationError("Nothing to update: give 'description' or 'enable'")
    password = caller_password(client, password)
    if password is not None:
        body["password"] = password
    path = client.path("/access/tfa/{userid}/{id}", userid=userid, id=entry_id)
    try:
        client.put(path, data=body)
    except PbsAuthenticationError as err:
        raise _refused_password(err, client, userid) from None
    return get_tfa(client, userid, entry_id)


def delete_tfa(client, userid, entry_id, password=None):
    """Remove one entry by id; True when removed, False when there was none."""
    userid = _userid(userid)
    if not isinstance(entry_id, str) or not entry_id:
        raise catalog.invalid("id", "expected a TFA entry id (see pbs_tfa.list)")
    password = caller_password(client, password)
    path = client.path("/access/tfa/{userid}/{id}", userid=userid, id=entry_id)
    try:
        if password is None:
            client.delete(path)
        else:  # a secret: in a JSON body, never in the URL
            client.request("DELETE", path, data={"password": password}, delete_body=True)
    except PbsNotFoundError:
        return False
    except PbsAuthenticationError as err:
        raise _refused_password(err, client, userid) from None
    return True


def unlock_tfa(client, userid):
    """Unlock a user locked out by failed second-factor attempts; True if they were."""
    path = client.path("/access/users/{userid}/unlock-tfa", userid=_userid(userid))
    return bool(client.put(path).data)


# ----- states ------------------------------------------------------------------------------
def _matching(entries, type_name=None, entry_id=None, description=None):
    return [
        e
        for e in entries
        if (type_name is None or e.get("type") == type_name)
        and (entry_id is None or e.get("id") == entry_id)
        and (description is None or e.get("description") == description)
    ]


def tfa_present(userid, type_name, description=None, enable=None, secret=None, sink=None,
                password=None, **engine):
    """
    State ``pbs_tfa.present``: a TOTP entry (named by ``description``) or the recovery
    keys exist. An existing factor is never re-created (that would break the user's
    authenticator or recovery sheet); only TOTP ``enable`` is converged.
    """
    ret = reconcile.new_ret(userid)
    try:
        userid = _userid(userid)
        check_type(type_name)
        if type_name == "totp":
            if description is None:
                raise catalog.invalid("description", "required for a TOTP entry (it names it)")
            description = DESCRIPTION.coerce(description, "description")
            if secret is not None:
                check_secret(secret)
            if enable is not None:
                enable = ENABLE.coerce(enable, "enable")
        elif enable is not None or description is not None or secret is not None:
            raise SaltInvocationError(
                "Recovery keys take no 'description', 'enable' or 'secret' (PBS generates"
                " them and cannot disable them)"
            )
        client = engine_client(engine)
        label = f"{'TOTP entry ' + repr(description) if description else 'Recovery keys'}" \
                f" of '{userid}'"
        found = _matching(list_tfa(client, userid), type_name, description=description)
        if len(found) > 1:
            raise SaltInvocationError(
                f"{label}: {len(found)} entries have this description"
                f" ({', '.join(e['id'] for e in found)}); remove the extra ones by id"
            )
        test = bool(engine["opts"].get("test"))
        if found:
            entry = found[0]
            if enable is None or entry.get("enable", True) == enable:
                ret["comment"] = f"{label} exists (never re-created)"
                if sink is not None and sink.read(entry["id"]) is None:
                    ret["comment"] += f"; note: {sink} holds nothing (it is never rewritten)"
                return ret
            ret["changes"] = {"enable": {"old": entry.get("enable", True), "new": enable}}
            if test:
                ret.update(result=None, comment=f"{label} would be updated")
                return ret
            update_tfa(client, userid, entry["id"], enable=enable, password=password)
            ret["comment"] = f"{label} updated"
            return ret
        new = {"userid": userid, "type": type_name}
        if description:
            new["description"] = description
            new["secret"] = catalog.HIDDEN
        else:
            new["recovery"] = catalog.HIDDEN
        ret["changes"] = {"old": None, "new": new}
        if sink is None and (type_name == "recovery" or secret is None):
            raise SaltInvocationError(
                f"{label} does not exist and cannot be added without 'secret_file' or"
                " 'secret_sdb'" + ("" if type_name == "recovery" else " (or 'secret')")
            )
        if test:
            caller_password(client, password)
            ret.update(result=None, comment=f"{label} would be added"
                       + (f"; its secret would be written to {sink}" if sink else ""))
            return ret
        added = add_tfa(client, userid, type_name, description, secret, sink, password)
        if enable is False:
            update_tfa(client, userid, added["id"], enable=False, password=password)
            new["enable"] = False
        ret["comment"] = f"{label} added" + (
            f"; its secret was written to {sink}" if added["secret_written_to"] else ""
        )
        return ret
    except (CommandExecutionError, SaltInvocationError) as err:
        return reconcile.failed(ret["name"], err)


def tfa_absent(userid, entry_id=None, description=None, type_name=None, password=None,
               **engine):
    """State ``pbs_tfa.absent``: the factor named by id, description or type
    ``recovery`` is gone; a state naming no factor is refused (nothing unnamed is removed)."""
    ret = reconcile.new_ret(userid)
    try:
        userid = _userid(userid)
        if type_name == "recovery" and entry_id is None:
            entry_id = "recovery"
        if entry_id is None and description is None:
            raise SaltInvocationError(
                "pbs_tfa.absent needs 'id', 'description' or 'type: recovery' to name the"
                " factor to remove (it never removes all of a user's factors)"
            )
        client = engine_client(engine)
        found = _matching(list_tfa(client, userid), type_name, entry_id, description)
        what = f"second factor {entry_id or repr(description)} of '{userid}'"
        if not found:
            ret["comment"] = f"The {what} is already absent"
            return ret
        if len(found) > 1:
            raise SaltInvocationError(
                f"The {what} is ambiguous: {len(found)} entries"
                f" ({', '.join(e['id'] for e in found)}); name one by 'id'"
            )
        entry = found[0]
        ret["changes"] = {"old": dict(entry), "new": None}
        if engine["opts"].get("test"):
            caller_password(client, password)
            ret.update(result=None, comment=f"The {what} would be removed")
            return ret
        delete_tfa(client, userid, entry["id"], password)
        ret["comment"] = f"The {what} was removed"
        return ret
    except (CommandExecutionError, SaltInvocationError) as err:
        return reconcile.failed(ret["name"], err)
