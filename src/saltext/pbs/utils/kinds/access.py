"""
Catalog entries and helpers of PBS access control: users, API tokens, ACL entries,
LDAP/AD/OpenID realms and the WebAuthn settings.

Users (``/access/users``)
    Id ``name@realm``. PBS stores ``enable: true`` and ``expire: 0`` as absent, so both are
    compared with those defaults. The ``password`` of a ``pbs``-realm user is sent with the
    create; PBS ignores it on the user update, so a changed password goes through
    ``PUT /access/password`` (:func:`set_password`), which refuses API tokens and needs the
    caller's own password as confirmation unless the caller is ``root@pam``. Passwords of
    ``pam``, ``ldap``, ``ad`` and ``openid`` users live outside PBS and are refused.

API tokens (``/access/users/{userid}/token/{token-name}``)
    Id ``name@realm!tokenname``; created by a POST on the item path, which answers the
    secret once. Users and tokens share one PBS config file (one digest). A token's
    privileges are the intersection of its own ACL entries and its user's. See
    :mod:`saltext.pbs.utils.kinds.token_sink` for where secrets go.

ACL entries (``/access/acl``)
    No item path: the whole tree is listed once, an entry (path, auth id, role) is created,
    re-flagged (``propagate``) and removed by ``PUT /access/acl`` on the collection, a
    removal carrying ``delete: true``. PBS 4 rejects group ACLs; roles are built in.
"""

import collections
import dataclasses
import logging
import time

from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import catalog
from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import objects
from saltext.pbs.utils import reconcile
from saltext.pbs.utils import validate
from saltext.pbs.utils.catalog import COMMENT
from saltext.pbs.utils.catalog import NO_CONTROL_RE
from saltext.pbs.utils.catalog import Kind
from saltext.pbs.utils.catalog import Prop
from saltext.pbs.utils.catalog import invalid
from saltext.pbs.utils.errors import PbsAuthenticationError
from saltext.pbs.utils.errors import PbsError

log = logging.getLogger(__name__)

SUPERUSER = "root@pam"
USER_CFG = "user_cfg"  # users and tokens share PBS's user.cfg (one digest)

# Built-in roles and their privileges (PBS has no custom roles).
ROLES = {
    "Admin": ("*",),
    "Audit": ("Sys.Audit", "Datastore.Audit"),
    "NoAccess": (),
    "DatastoreAdmin": (
        "Datastore.Audit",
        "Datastore.Modify",
        "Datastore.Read",
        "Datastore.Verify",
        "Datastore.Backup",
        "Datastore.Prune",
    ),
    "DatastoreReader": ("Datastore.Audit", "Datastore.Read", "Datastore.Verify"),
    "DatastoreBackup": ("Datastore.Backup",),
    "DatastorePowerUser": ("Datastore.Backup", "Datastore.Prune"),
    "DatastoreAudit": ("Datastore.Audit",),
    "RemoteAudit": ("Remote.Audit",),
    "RemoteAdmin": ("Remote.Audit", "Remote.Modify", "Remote.Read"),
    "RemoteSyncOperator": ("Remote.Audit", "Remote.Read"),
    "RemoteSyncPushOperator": ("Remote.Audit", "Remote.DatastoreBackup"),
    "RemoteDatastorePowerUser": (
        "Remote.Audit",
        "Remote.DatastoreBackup",
        "Remote.DatastorePrune",
    ),
    "RemoteDatastoreAdmin": (
        "Remote.Audit",
        "Remote.DatastoreBackup",
        "Remote.DatastoreModify",
        "Remote.DatastorePrune",
    ),
    "TapeAudit": ("Tape.Audit",),
    "TapeAdmin": ("Tape.Audit", "Tape.Modify", "Tape.Read", "Tape.Write"),
    "TapeOperator": ("Tape.Audit", "Tape.Read", "Tape.Write"),
    "TapeReader": ("Tape.Audit", "Tape.Read"),
}

USER_PRIVILEGES = {
    "list": "any authenticated user (all users with ``Sys.Audit`` on ``/access/users``,"
    " else only the caller)",
    "get": "``Sys.Audit`` on ``/access/users``, or being that user",
    "create": "``Permissions.Modify`` on ``/access/users``",
    "update": "``Permissions.Modify`` on ``/access/users``, or being that user",
    "delete": "``Permissions.Modify`` on ``/access/users``, or being that user",
    "password": "ticket authentication (API tokens are refused); ``root@pam`` for any user,"
    " else the caller's own password as confirmation and ``Permissions.Modify`` on ``/``"
    " for other users",
}
ACL_PRIVILEGES = {
    "list": "``Sys.Audit`` on ``/access/acl`` (others see only their own tokens' entries)",
    "create": "``Permissions.Modify`` on ``/access/acl`` (or, for one's own API tokens,"
    " being their user)",
    "update": "``Permissions.Modify`` on ``/access/acl``",
    "delete": "``Permissions.Modify`` on ``/access/acl``",
}


def split_authid(auth_id):
    """``(userid, tokenname)``; tokenname None for a user id."""
    at = auth_id.rfind("@")
    bang = auth_id.rfind("!")
    if bang > at >= 0:
        return auth_id[:bang], auth_id[bang + 1 :]
    return auth_id, None


def realm_of(userid):
    """The realm of ``name@realm`` (after the last ``@``)."""
    return userid.rpartition("@")[2]


# ----- users ------------------------------------------------------------------------------
def set_password(client, kind, ident, value, parents=None):  # pylint: disable=unused-argument
    """
    Change the password of user ``ident`` with ``PUT /access/password`` (PBS ignores
    ``password`` on the user update). Needs ticket authentication; the profile's own
    password is sent as confirmation unless it logs in as ``root@pam``.
    """
    if getattr(client, "token_id", None):
        raise SaltInvocationError(
            f"Cannot change the password of user '{ident}': PBS refuses API tokens on"
            f" PUT /access/password and this profile authenticates with token"
            f" '{client.token_id}'. Use a profile with username/password (ticket"
            " authentication), or update_secret: on_create to set the password only when"
            " the user is created"
        )
    body = {"userid": ident, "password": value}
    caller = getattr(client, "username", None)
    if caller != SUPERUSER:
        confirmation = (getattr(client, "conf", None) or {}).get("password")
        if not confirmation:
            raise SaltInvocationError(
                f"Cannot change the password of user '{ident}': PBS wants the caller's own"
                f" password as confirmation and the profile of '{caller}' has none"
            )
        body["confirmation-password"] = confirmation
    try:
        client.put("/access/password", data=body)
    except PbsAuthenticationError as err:
        raise PbsAuthenticationError(
            f"PBS refused to change the password of user '{ident}': it did not accept the"
            f" password of '{caller}' as confirmation, or the user does not exist"
            f" ({err.pbs_message or err.status})",
            status=err.status,
            method="PUT",
            path="/access/password",
        ) from None


def _user_checks(kind, values, op):  # pylint: disable=unused-argument
    # firstname/lastname/email: PBS's schema wants 2+ characters; clearing is via null
    for wire in ("firstname", "lastname", "email"):
        if values.get(wire) == "":
            raise invalid(wire, "empty text is not allowed; use null to clear it")


def _name_part(wire, doc):
    return Prop(wire, doc=doc, min_length=2, max_length=64, pattern=NO_CONTROL_RE, deletable=True)


ENABLE = Prop(
    "enable", "boolean", doc="Whether it may log in / be used (default true)", default=True
)
EXPIRE = Prop(
    "expire",
    "integer",
    doc="Expiry as a Unix epoch (seconds); 0 means never (default)",
    minimum=0,
    default=0,
)

def _unchanged_superuser(obj):
    """``root@pam`` always exists: PBS adds it back (comment ``Superuser``) when it is
    missing from its user configuration, so one in that state is as absent as PBS allows."""
    defaults = {"userid": SUPERUSER, "comment": "Superuser"}
    if obj.get("userid") != SUPERUSER:
        return None
    if any(obj.get(k) != v for k, v in defaults.items()):
        return None
    for prop in USER.props:
        if prop.wire != "comment" and obj.get(prop.wire) not in (None, prop.default):
            return None
    return "is built into PBS and has its default configuration; PBS cannot remove it"


USER = Kind(
    name="user",
    title="User",
    collection="/access/users",
    item="/access/users/{name}",
    id_param="userid",
    id_key="userid",
    id_prop=Prop("userid", min_length=3, max_length=64, fmt="userid"),
    digest_group=USER_CFG,
    invalidates=("acl",),
    checks=(_user_checks,),
    builtin=_unchanged_superuser,
    delete_note="PBS also deleted its API tokens with their ACL entries; the user's own ACL"
    " entries stay in PBS's ACL configuration until removed (pbs_acl.absent)",
    privileges=USER_PRIVILEGES,
    props=(
        ENABLE,
        EXPIRE,
        _name_part("firstname", "First name"),
        _name_part("lastname", "Last name"),
        _name_part("email", "E-mail address"),
        COMMENT,
        Prop(
            "password",
            doc="Password of a ``pbs``-realm user (8-64 characters; write-only: never shown,"
            " sent according to ``update_secret``)",
            min_length=8,
            max_length=64,
            pattern=NO_CONTROL_RE,
            secret=True,
            update_via=set_password,
        ),
    ),
)


def check_user(name, properties):
    """Validate a user id and refuse a password PBS does not keep (non-``pbs`` realms)."""
    ident = USER.check_id(name)
    if catalog.clean_kwargs(properties).get("password") is not None and realm_of(ident) != "pbs":
        realm = realm_of(ident)
        where = {
            "pam": "the PBS host's system (PAM) password",
            "ldap": "the LDAP directory",
            "ad": "Active Directory",
            "openid": "the OpenID provider",
        }.get(realm, f"realm '{realm}'")
        raise invalid(
            "password",
            f"user '{ident}' is in realm '{realm}', whose passwords are managed by {where},"
            " not by PBS; only users of the 'pbs' realm get a password from this state."
            " Remove 'password'",
        )
    return ident


def user_present(name, properties, **engine):
    """State ``pbs_user.present`` (``engine``: keyword arguments of reconcile.present)."""
    try:
        ident = check_user(name, properties)
    except SaltInvocationError as err:
        return reconcile.failed(name, err)
    return reconcile.present(USER, ident, properties, **engine)


# ----- API tokens ---------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class _TokenKind(Kind):
    """Tokens are named by their full id; the item path wants the user and the token name."""

    def item_ids(self, ident, parents=None):
        userid, tokenname = split_authid(ident)
        return {**dict(parents or {}), "userid": userid, "name": tokenname}


TOKEN = _TokenKind(
    name="token",
    title="API token",
    collection="/access/users/{userid}/token",
    item="/access/users/{userid}/token/{name}",
    id_param="tokenid",
    id_key="tokenid",
    id_prop=Prop("tokenid", min_length=3, max_length=64, fmt="tokenid"),
    parents=("userid",),
    create_on_item=True,
    revealed_secret="secret_file",
    digest_group=USER_CFG,
    invalidates=("acl",),
    delete_note="PBS also removed the token's ACL entries",
    privileges={
        "list": "``Sys.Audit`` on ``/access/users``, or being the token's user",
        "get": "``Sys.Audit`` on ``/access/users``, or being the token's user",
        "create": "``Permissions.Modify`` on ``/access/users``, or being the token's user",
        "update": "``Permissions.Modify`` on ``/access/users``, or being the token's user",
        "delete": "``Permissions.Modify`` on ``/access/users``, or being the token's user",
    },
    props=(ENABLE, EXPIRE, COMMENT),
)


def token_ids(name):
    """Validate a token id; returns ``(tokenid, {"userid": user})``."""
    ident = TOKEN.check_id(name)
    return ident, {"userid": split_authid(ident)[0]}


def _user_must_exist(client, userid):
    catalog.must_exist(client, "name", "/access/users/{name}", userid, "the token's user")


def token_secret_from(result, tokenid, key):
    """The secret PBS returned (``value`` on create, ``secret`` on regenerate)."""
    secret = result.get(key) if isinstance(result, dict) else None
    if not isinstance(secret, str) or not secret:
        raise CommandExecutionError(f"PBS returned no secret for API token '{tokenid}'")
    return secret


def create_token(client, name, sink, return_secret=False, properties=None):
    """
    Create an API token and hand its secret to ``sink`` (a :class:`Sink` or None).
    Returns ``{"tokenid", "secret_written_to"}``, plus ``secret`` only when
    ``return_secret`` is true.
    """
    ident, parents = token_ids(name)
    if sink is None and not return_secret:
        raise SaltInvocationError(
            "Creating an API token needs 'secret_file' or 'secret_sdb' (PBS shows the secret"
            " only once), or return_secret=True to have it returned"
        )
    values = catalog.desired(TOKEN, properties or {}, "create")
    if sink is not None:
        sink.check()
    _user_must_exist(client, parents["userid"])
    result = objects.send_create(client, TOKEN, ident, catalog.wire_body(TOKEN, values), parents)
    return _deliver(ident, token_secret_from(result, ident, "value"), sink, return_secret)


def regenerate_token(client, name, sink, return_secret=False):
    """Give a token a new secret (its ACL entries stay) and hand it to ``sink``."""
    ident, parents = token_ids(name)
    if sink is None and not return_secret:
        raise SaltInvocationError(
            "Regenerating an API token needs 'secret_file' or 'secret_sdb' for the new"
            " secret, or return_secret=True to have it returned"
        )
    if sink is not None:
        sink.check()
    path = objects.item_path(client, TOKEN, ident, parents)
    result = client.put(path, data={"regenerate": True}).data
    return _deliver(ident, token_secret_from(result, ident, "secret"), sink, return_secret)


def _deliver(ident, secret, sink, return_secret):
    out = {"tokenid": ident, "secret_written_to": None}
    if sink is not None:
        sink.write(ident, secret)
        out["secret_written_to"] = str(sink)
    if return_secret:
        out["secret"] = secret
    return out


def list_tokens(client, userid=None):
    """Tokens of one user, or of every user the caller may see."""
    if userid is not None:
        userid = USER.check_id(userid)
        return objects.list_objects(client, TOKEN, {"userid": userid})
    users = client.get("/access/users", params={"include_tokens": True}).data or []
    return [token for user in users for token in user.get("tokens", [])]


def token_present(name, properties, sink=None, regenerate_if_lost=False, **engine):
    """
    State ``pbs_token.present``. The secret of a created token goes to ``sink``; an
    existing token is never rotated unless its sink lost the secret and
    ``regenerate_if_lost`` is true.
    """
    try:
        ident, parents = token_ids(name)
    except SaltInvocationError as err:
        return reconcile.failed(name, err)

    def before_create(client, kind, values, op):  # pylint: disable=unused-argument
        if op != "create":
            return
        if sink is None:
            raise SaltInvocationError(
                f"API token '{ident}' does not exist and cannot be created without"
                " 'secret_file' or 'secret_sdb': PBS shows its secret only once"
            )
        sink.check()
        _user_must_exist(client, parents["userid"])

    kind = dataclasses.replace(TOKEN, preflight=(before_create,))
    ret = reconcile.present(
        kind,
        ident,
        properties,
        parents=parents,
        created=lambda result: sink.write(ident, token_secret_from(result, ident, "value")),
        **engine,
    )
    if ret["result"] is False:
        return ret
    if ret["changes"] and ret["changes"].get("old", "") is None:
        ret["changes"]["new"]["secret"] = catalog.HIDDEN
        done = "would be written" if ret["result"] is None else "was written"
        ret["comment"] += f"; its secret {done} to {sink}"
        return ret
    if sink is None:
        return ret
    secret = sink.read(ident)
    if secret is None:
        return _lost_secret(ret, ident, sink, regenerate_if_lost, engine)
    client = _engine_client(engine)
    works = _secret_works(client, ident, secret)
    if works is None:
        ret["comment"] += f"; PBS could not be asked whether the secret in {sink} still works"
        return ret
    if works:
        return ret
    # a disabled or expired token is refused whatever its secret: that is no proof of loss
    token = objects.get_object(client, TOKEN, ident, parents) or {}
    if token.get("enable") is False or 0 < (token.get("expire") or 0) <= time.time():
        ret["comment"] += (
            f"; the token is disabled or expired, so the secret in {sink} was not checked"
        )
        return ret
    return _lost_secret(ret, ident, sink, regenerate_if_lost, engine, rejected=True)


def _secret_works(client, ident, secret):
    """
    Whether PBS accepts ``secret`` for token ``ident``: one ``GET /version`` with it.
    None when PBS could not tell (unreachable, TLS error, ...): only a 401 means the
    secret is stale, e.g. because the token was regenerated elsewhere.
    """
    conf = {k: v for k, v in client.conf.items() if k not in ("username", "password")}
    conf.update(token_id=ident, token_secret=secret)
    probe = pbs_client.PbsClient(conf)
    probe.read_attempts = 1  # a cheap check: no retries
    try:
        probe.get("/version")
    except PbsAuthenticationError:
        return False
    except PbsError as err:
        log.warning("PBS: could not check the stored secret of API token '%s': %s", ident, err)
        return None
    finally:
        probe.close()
    return True


def _lost_secret(ret, ident, sink, regenerate_if_lost, engine, rejected=False):
    if rejected:
        problem = f"its secret in {sink} is rejected by PBS (was it regenerated elsewhere?)"
    else:
        problem = f"its secret is missing from {sink}"
    if not regenerate_if_lost:
        ret.update(
            result=False,
            changes={},
            comment=f"API token '{ident}' exists but {problem}, and PBS"
            f" never shows a secret again. This state does not rotate a token by itself:"
            f" rotate it with `salt-call pbs_token.regenerate {ident} {sink.args}` (every"
            f" consumer of the old secret must then be updated), or set"
            f" 'regenerate_if_lost: True'",
        )
        return ret
    ret["changes"]["secret"] = {"old": catalog.HIDDEN, "new": catalog.HIDDEN}
    if engine["opts"].get("test"):
        ret["result"] = None
        ret["comment"] += f"; {problem} and would be regenerated"
        return ret
    try:
        regenerate_token(_engine_client(engine), ident, sink)
    except (CommandExecutionError, SaltInvocationError) as err:
        return reconcile.failed(ret["name"], err)
    ret["comment"] += f"; {problem}: regenerated and written there"
    return ret


def token_absent(name, **engine):
    """State ``pbs_token.absent``."""
    try:
        ident, parents = token_ids(name)
    except SaltInvocationError as err:
        return reconcile.failed(name, err)
    return reconcile.absent(TOKEN, ident, parents=parents, **engine)


# ----- ACL entries ------------------------------------------------------------------------
class AclEntry(collections.namedtuple("AclEntry", "path auth_id role")):
    """The identity of one ACL entry."""

    __slots__ = ()

    def __str__(self):
        return f"{self.role} on {self.path} for {self.auth_id}"

    def shown(self):
        """The entry as state output shows it."""
        return {"path": self.path, "auth_id": self.auth_id, "role": self.role}


def _acl_match(obj, ident, parents):  # pylint: disable=unused-argument
    return (obj.get("path"), obj.get("ugid"), obj.get("roleid")) == tuple(ident)


def _acl_state_args(obj):
    """A listed entry as ``pbs_acl.present`` arguments (group entries: no state manages)."""
    if obj.get("ugtype") == "group":
        return None
    return {"name": obj.get("path"), "auth_id": obj.get("ugid"), "role": obj.get("roleid")}


ACL = Kind(
    name="acl",
    title="ACL entry",
    collection="/access/acl",
    item=None,
    id_param="path",
    id_key="path",
    match=_acl_match,
    state_args=_acl_state_args,
    id_body=lambda ident: {"path": ident.path, "auth-id": ident.auth_id, "role": ident.role},
    create_method="PUT",
    delete_method="PUT",
    delete_body={"delete": True},
    privileges=ACL_PRIVILEGES,
    props=(
        Prop(
            "propagate",
            "boolean",
            doc="Whether the role also applies below the path (default true)",
            default=True,
        ),
    ),
)


def check_path(path, field="name"):
    """Validate an ACL path (syntax and the paths PBS accepts entries on)."""
    if path is None or path == "":
        raise invalid(field, "the ACL path is required (e.g. /datastore/store1)")
    reason = validate.check_acl_path(path) if isinstance(path, str) else "expected a path"
    if reason:
        raise invalid(field, f"ACL path {path!r}: {reason}")
    return path


def acl_entry(path, auth_id, role, group=None):
    """Validate one ACL entry's identity; returns an :class:`AclEntry`."""
    if group is not None:
        raise invalid(
            "group",
            "PBS 4 does not support group ACLs (it rejects every ACL entry for a group);"
            " grant the role to each user or API token with 'auth_id' instead",
        )
    check_path(path)
    if auth_id is None or auth_id == "":
        raise invalid("auth_id", "a user (name@realm) or API token (name@realm!token) is required")
    reason = validate.check_authid(auth_id) if isinstance(auth_id, str) else "expected text"
    if reason:
        raise invalid("auth_id", reason)
    if role not in ROLES:
        raise invalid("role", f"{role!r} is not a PBS role; one of {', '.join(ROLES)}")
    return AclEntry(path, auth_id, role)


def _explain_missing_auth_id(ret, entry):
    text = ret.get("comment", "")
    if ret.get("result") is False and ("no such user" in text or "no such API token" in text):
        what = "API token" if split_authid(entry.auth_id)[1] else "user"
        ret["comment"] = (
            f"Invalid value for 'auth_id': {what} '{entry.auth_id}' does not exist on PBS"
            f" (create it first); {text}"
        )
    return ret


def _entry_changes(changes, entry):
    """A created entry's changes show its path, auth id and role (not the id tuple)."""
    if changes.get("new") and changes.get("old", "") is None:
        shown = {k: v for k, v in changes["new"].items() if k != "path"}
        return {"old": None, "new": {**entry.shown(), **shown}}
    return changes


def _shown(ret, entry, path):
    ret["name"] = path
    ret["changes"] = _entry_changes(ret.get("changes") or {}, entry)
    return ret


def acl_present(name, auth_id=None, role=None, propagate=None, group=None, **engine):
    """State ``pbs_acl.present`` for one entry."""
    try:
        entry = acl_entry(name, auth_id, role, group)
    except SaltInvocationError as err:
        return reconcile.failed(name, err)
    props = {} if propagate is None else {"propagate": propagate}
    ret = reconcile.present(ACL, entry, props, **engine)
    return _shown(_explain_missing_auth_id(ret, entry), entry, name)


def acl_absent(name, auth_id=None, role=None, group=None, **engine):
    """State ``pbs_acl.absent`` for one entry."""
    try:
        entry = acl_entry(name, auth_id, role, group)
    except SaltInvocationError as err:
        return reconcile.failed(name, err)
    ret = reconcile.absent(ACL, entry, **engine)
    ret["name"] = name
    return ret


def _managed_entries(name, entries):
    if not isinstance(entries, (list, tuple)):
        raise invalid("entries", "expected a list of {auth_id, role, propagate} mappings")
    wanted = {}
    for index, item in enumerate(entries):
        if not isinstance(item, dict):
            raise invalid(f"entries[{index}]", "expected a mapping with auth_id, role, propagate")
        unknown = set(item) - {"auth_id", "auth-id", "role", "propagate", "group"}
        if unknown:
            raise invalid(f"entries[{index}]", f"unknown key(s) {', '.join(sorted(unknown))}")
        try:
            entry = acl_entry(
                name, item.get("auth_id", item.get("auth-id")), item.get("role"), item.get("group")
            )
            propagate = item.get("propagate")
            if propagate is not None:
                propagate = ACL.prop("propagate").coerce(propagate, "propagate")
        except SaltInvocationError as err:
            raise SaltInvocationError(f"entries[{index}]: {err}") from None
        if entry in wanted:
            raise invalid(f"entries[{index}]", f"{entry} is listed twice")
        wanted[entry] = propagate
    return wanted


def acl_managed(name, entries, **engine):
    """
    State ``pbs_acl.managed``: the ACL entries on path ``name`` itself (not below it) are
    exactly ``entries``. Entries the caller cannot see (unprivileged callers see only their
    own tokens' entries) are left alone.
    """
    ret = reconcile.new_ret(name)
    try:
        check_path(name)
        wanted = _managed_entries(name, entries)
        listed = _listed_acl(engine)
    except (CommandExecutionError, SaltInvocationError) as err:
        return reconcile.failed(name, err)
    current = [
        AclEntry(o["path"], o["ugid"], o["roleid"])
        for o in listed
        if o.get("path") == name and o.get("ugid")
    ]
    parts, comments, result = {}, [], True
    steps = [(entry, "absent", None) for entry in current if entry not in wanted]
    steps += [(entry, "present", prop) for entry, prop in wanted.items()]
    for entry, action, propagate in steps:
        if action == "absent":
            sub = reconcile.absent(ACL, entry, **engine)
        else:
            props = {} if propagate is None else {"propagate": propagate}
            sub = _explain_missing_auth_id(reconcile.present(ACL, entry, props, **engine), entry)
        if sub["changes"]:
            parts[f"{entry.role} for {entry.auth_id}"] = _entry_changes(sub["changes"], entry)
        if sub["result"] is False:
            result = False
            comments.append(sub["comment"])
        elif sub["result"] is None and result is True:
            result = None
    ret["changes"] = parts
    ret["result"] = result
    if result is False:
        ret["comment"] = "; ".join(comments)
    elif not parts:
        ret["comment"] = f"The ACL entries on {name} are in the desired state"
    else:
        verb = "would be changed" if result is None else "were changed"
        ret["comment"] = (
            f"{len(parts)} ACL entr{'y' if len(parts) == 1 else 'ies'} on {name} {verb}"
        )
    return ret


def _engine_client(engine):
    """The client of a state call (resolved once and kept in ``engine``)."""
    if engine.get("client") is None:
        engine["client"] = pbs_client.get_client(
            engine["opts"], engine["context"], engine.get("config_get"), engine.get("profile")
        )
    return engine["client"]


def _listed_acl(engine):
    client = _engine_client(engine)
    return reconcile.cached_list(
        ACL, opts=engine["opts"], context=engine["context"], client=client
    )[0]


def list_acl(client, path=None, exact=False, auth_id=None):
    """ACL entries (optionally those on ``path`` only, or of one ``auth_id``)."""
    params = {}
    if path is not None:
        params = {"path": check_path(path, "path"), "exact": bool(exact)}
    entries = objects.read_list(client, ACL, params=params)[0]
    if auth_id is not None:
        entries = [e for e in entries if e.get("ugid") == auth_id]
    return entries


def create_acl(client, path, auth_id, role, propagate=True, group=None):
    """Add one ACL entry (or change its ``propagate`` flag)."""
    entry = acl_entry(path, auth_id, role, group)
    body = {"propagate": ACL.prop("propagate").coerce(propagate, "propagate")}
    objects.send_create(client, ACL, entry, body)
    return {**entry.shown(), **body}


def delete_acl(client, path, auth_id, role, group=None):
    """Remove one ACL entry (no error when it does not exist)."""
    entry = acl_entry(path, auth_id, role, group)
    objects.send_delete(client, ACL, entry)
    return entry.shown()


# ----- effective permissions --------------------------------------------------------------
def _node_paths(path):
    parts = [p for p in path.split("/") if p]
    return ["/"] + ["/" + "/".join(parts[:i]) for i in range(1, len(parts) + 1)]


def acl_roles(entries, auth_id, path):
    """
    The roles ``auth_id``'s own ACL entries give it on ``path`` (``{role: propagate}``),
    evaluated as PBS does: walking from ``/`` down, a node with entries for the auth id
    replaces what was inherited; above the path only propagating entries count;
    ``NoAccess`` at a node wins over that node's other roles.
    """
    nodes = _node_paths(path)
    roles = {}
    for depth, node in enumerate(nodes):
        last = depth == len(nodes) - 1
        found = {}
        for entry in entries:
            if entry.get("path") != node or entry.get("ugid") != auth_id:
                continue
            propagate = entry.get("propagate", True)
            if not last and not propagate:
                continue
            if entry.get("roleid") == "NoAccess":
                found = {"NoAccess": propagate}
                break
            found[entry.get("roleid")] = propagate
        if found:
            roles = found
    return roles


def role_privileges(roles, all_privileges):
    """Privilege names granted by ``roles`` (``Admin`` grants ``all_privileges``)."""
    out = set()
    for role in roles:
        privs = ROLES.get(role, ())
        out.update(all_privileges if privs == ("*",) else privs)
    return out


def permissions(client, auth_id=None, path=None):
    """
    Effective privileges of ``auth_id`` (default: the caller) as PBS reports them. For an
    API token the result also shows what the token's own ACL entries grant, what its user
    has, and which of the token's privileges its user lacks (so PBS drops them).
    """
    if auth_id is not None:
        reason = validate.check_authid(auth_id)
        if reason:
            raise invalid("auth_id", reason)
    if path is not None:
        check_path(path, "path")
    auth_id = auth_id or getattr(client, "auth_id", None)

    def query(who):
        params = {"auth-id": who} if who else {}
        if path is not None:
            params["path"] = path
        return client.get("/access/permissions", params=params).data or {}

    effective = query(auth_id)
    out = {"auth_id": auth_id, "effective": effective}
    userid, tokenname = split_authid(auth_id) if auth_id else (None, None)
    if tokenname is None:
        return out
    user_privs = query(userid)
    entries = objects.read_list(client, ACL)[0]
    all_privs = _all_privileges(client)
    paths = sorted(
        {*effective, *user_privs, *(e["path"] for e in entries if e.get("ugid") == auth_id)}
    )
    if path is not None:
        paths = [path]
    token_acl, dropped = {}, {}
    for node in paths:
        privs = role_privileges(acl_roles(entries, auth_id, node), all_privs)
        if privs:
            token_acl[node] = sorted(privs)
        lacking = sorted(privs - set(user_privs.get(node, {})))
        if lacking:
            dropped[node] = lacking
    out.update(
        user=userid,
        user_privileges=user_privs,
        token_acl_privileges=token_acl,
        lacking_in_user=dropped,
    )
    return out


def _all_privileges(client):
    roles = client.get("/access/roles").data or []
    for role in roles:
        if role.get("roleid") == "Admin":
            return set(role.get("privs") or [])
    return {p for privs in ROLES.values() for p in privs if p != "*"}
