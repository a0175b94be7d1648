"""Access control: users, API tokens, ACLs, roles, permissions, password, domains.

PBS src/api2/access/{user,acl,role,mod,domain}.rs and pbs-config acl.rs. Users and tokens
share ``user.cfg`` (one digest); ACLs live in ``acl.cfg``; token secrets in the
write-only ``token.shadow`` store; passwords in ``shadow``.
"""

import uuid

from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema as s
from saltext.pbs.simulator import values
from saltext.pbs.simulator.collections import check_digest
from saltext.pbs.simulator.collections import trim_comment
from saltext.pbs.simulator.endpoints import tfa
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.router import endpoint

NAME_PART = s.string(pattern=values.SINGLE_LINE_COMMENT_RE, min_length=2, max_length=64)
USER_PROPS = {
    "comment": s.COMMENT,
    "email": s.EMAIL,
    "enable": s.boolean(),
    "expire": s.integer(minimum=0),
    "firstname": NAME_PART,
    "lastname": NAME_PART,
}
PASSWORD = s.string(pattern=values.SINGLE_LINE_COMMENT_RE, min_length=8, max_length=64)
USER_ORDER = ("userid", "comment", "enable", "expire", "firstname", "lastname", "email")

AUDIT_USERS = perms.Privilege("/access/users", "Sys.Audit")
MODIFY_USERS = perms.Privilege("/access/users", "Permissions.Modify")
SELF = perms.SelfParam("userid")
TOKEN_PARAMS = {"userid": s.USERID.req(), "token-name": s.TOKEN_NAME.req()}
TOKEN_PROPS = {"comment": s.COMMENT, "enable": s.boolean(), "expire": s.integer(minimum=0)}


def _user_cfg(ctx):
    return ctx.state.file("user.cfg")


def _ordered(entry, order):
    out = {k: entry[k] for k in order if k in entry}
    out.update({k: v for k, v in entry.items() if k not in out and k != "type"})
    return out


def _token_item(tokenid, entry):
    return _ordered(dict(entry, tokenid=tokenid), ("tokenid", "comment", "enable", "expire"))


def _user_tokens(cfg, userid):
    return [
        (tokenid, entry)
        for tokenid, entry in cfg.items("token")
        if values.split_authid(tokenid)[0] == userid
    ]


def _normalise_enable_expire(data, params):
    """Update handlers store ``enable=true`` and ``expire=0`` as absent."""
    if "enable" in params:
        if params["enable"]:
            data.pop("enable", None)
        else:
            data["enable"] = False
    if "expire" in params:
        if params["expire"] > 0:
            data["expire"] = params["expire"]
        else:
            data.pop("expire", None)


# -- users --------------------------------------------------------------------------------


@endpoint(
    "GET", "/access/users", params={"include_tokens": s.boolean()}, permission=perms.Anybody()
)
def list_users(ctx, params):
    cfg = _user_cfg(ctx)
    see_all = "Sys.Audit" in ctx.state.privileges(ctx.auth_id, "/access/users")
    out = []
    for userid, entry in cfg.items("user"):
        if not see_all and userid != ctx.userid:
            continue
        item = _ordered(dict(entry, userid=userid), USER_ORDER)
        if params.get("include_tokens"):
            tokens = [_token_item(t, e) for t, e in _user_tokens(cfg, userid)]
            if tokens:
                item["tokens"] = tokens
        item.update(tfa.locked_state(ctx, userid))
        out.append(item)
    ctx.attrs["digest"] = cfg.digest()
    return out


@endpoint(
    "POST",
    "/access/users",
    params={"userid": s.USERID.req(), "password": PASSWORD, **USER_PROPS},
    permission=MODIFY_USERS,
    secrets=("password",),
)
def create_user(ctx, params):
    userid = params["userid"]
    cfg = _user_cfg(ctx)
    if cfg.get(userid) is not None:
        raise ApiError(400, f"user '{userid}' already exists.")
    _name, realm = values.split_userid(userid)
    realm_entry = ctx.state.file("domains.cfg").get(realm)
    if realm_entry is None:
        raise ApiError(400, f"unknown realm '{realm}'")
    data = {k: v for k, v in params.items() if k in USER_PROPS}
    cfg.set(userid, "user", dict(data, userid=userid))
    password = params.get("password")
    if password is None:
        return
    # PBS saves the user first; password errors come after (quirk)
    realm_type = realm_entry["type"]
    if realm_type == "pam" and not perms.is_superuser(ctx.auth_id):
        raise ApiError(400, "only superuser can edit pam credentials!")
    if realm_type in ("ldap", "ad", "openid"):
        kind = {"ldap": "LDAP", "ad": "Active Directory", "openid": "OpenID"}[realm_type]
        raise ApiError(501, f"storing passwords is not implemented for {kind} realms")
    ctx.state.set_password(userid, password)


def _lookup_user(ctx, userid):
    entry = _user_cfg(ctx).get(userid, "user")
    if entry is None:
        raise ApiError(400, f"no such user '{userid}'")
    return entry


@endpoint(
    "GET",
    "/access/users/{userid}",
    params={"userid": s.USERID.req()},
    permission=AUDIT_USERS | SELF,
)
def read_user(ctx, params):
    userid = params["userid"]
    entry = _lookup_user(ctx, userid)
    ctx.attrs["digest"] = _user_cfg(ctx).digest()
    return _ordered(dict(entry, userid=userid), USER_ORDER)


@endpoint(
    "PUT",
    "/access/users/{userid}",
    params={
        "userid": s.USERID.req(),
        "password": PASSWORD,
        **USER_PROPS,
        "delete": s.array(s.enum("comment", "firstname", "lastname", "email")),
        "digest": s.DIGEST,
    },
    permission=MODIFY_USERS | SELF,
    secrets=("password",),
)
def update_user(ctx, params):
    userid = params["userid"]
    cfg = _user_cfg(ctx)
    check_digest(cfg, params.get("digest"))
    data = dict(_lookup_user(ctx, userid))
    data.pop("type", None)
    for name in params.get("delete", []):
        data.pop(name, None)
    if "comment" in params:
        data["comment"] = params["comment"]
        trim_comment(data)
    _normalise_enable_expire(data, params)
    for name in ("firstname", "lastname", "email"):
        if name in params:
            if params[name]:
                data[name] = params[name]
            else:
                data.pop(name, None)
    # "password" is accepted and ignored: PUT /access/password changes passwords
    cfg.set(userid, "user", data)


@endpoint(
    "DELETE",
    "/access/users/{userid}",
    params={"userid": s.USERID.req(), "digest": s.DIGEST},
    permission=MODIFY_USERS | SELF,
)
def delete_user(ctx, params):
    userid = params["userid"]
    cfg = _user_cfg(ctx)
    check_digest(cfg, params.get("digest"))
    if cfg.get(userid, "user") is None:
        raise ApiError(400, f"user '{userid}' does not exist.")
    cfg.remove(userid)
    ctx.state.secrets["shadow"].pop(userid, None)
    for tokenid, _entry in _user_tokens(cfg, userid):
        _remove_token(ctx, tokenid)
    tfa.remove_user(ctx.state, userid)
    # PBS 4.2 leaves the user's own ACL entries behind (dangling); only tokens' go


# -- tokens -------------------------------------------------------------------------------


def _remove_token(ctx, tokenid):
    _user_cfg(ctx).remove(tokenid)
    ctx.state.secret_store("token.shadow").pop(tokenid, None)
    ctx.state.acl_remove_ugid(tokenid)


def _new_secret(ctx, tokenid):
    secret = str(uuid.uuid4())
    ctx.state.secret_store("token.shadow")[tokenid] = secret
    return secret


@endpoint(
    "GET",
    "/access/users/{userid}/token",
    params={"userid": s.USERID.req()},
    permission=AUDIT_USERS | SELF,
)
def list_tokens(ctx, params):
    cfg = _user_cfg(ctx)
    out = []
    for tokenid, entry in _user_tokens(cfg, params["userid"]):
        item = {"token-name": values.split_authid(tokenid)[1]}
        item.update(_token_item(tokenid, entry))
        out.append(item)
    ctx.attrs["digest"] = cfg.digest()
    return out


@endpoint(
    "POST",
    "/access/users/{userid}/token/{token-name}",
    params={**TOKEN_PARAMS, **TOKEN_PROPS, "digest": s.DIGEST},
    permission=MODIFY_USERS | SELF,
    secrets=("value",),
)
def create_token(ctx, params):
    userid, name = params["userid"], params["token-name"]
    cfg = _user_cfg(ctx)
    check_digest(cfg, params.get("digest"))
    tokenid = f"{userid}!{name}"
    if cfg.get(tokenid) is not None:
        raise ApiError(400, f"token '{name}' for user '{userid}' already exists.")
    secret = _new_secret(ctx, tokenid)
    data = {k: v for k, v in params.items() if k in TOKEN_PROPS}
    cfg.set(tokenid, "token", dict(data, tokenid=tokenid))
    return {"tokenid": tokenid, "value": secret}


def _lookup_token(ctx, userid, name):
    tokenid = f"{userid}!{name}"
    entry = _user_cfg(ctx).get(tokenid, "token")
    if entry is None:
        raise ApiError(400, f"no such token '{tokenid}'")
    return tokenid, entry


@endpoint(
    "GET",
    "/access/users/{userid}/token/{token-name}",
    params=TOKEN_PARAMS,
    permission=AUDIT_USERS | SELF,
)
def read_token(ctx, params):
    tokenid, entry = _lookup_token(ctx, params["userid"], params["token-name"])
    ctx.attrs["digest"] = _user_cfg(ctx).digest()
    return _token_item(tokenid, entry)


@endpoint(
    "PUT",
    "/access/users/{userid}/token/{token-name}",
    params={
        **TOKEN_PARAMS,
        **TOKEN_PROPS,
        "regenerate": s.boolean(),
        "delete": s.array(s.enum("comment")),
        "digest": s.DIGEST,
    },
    permission=MODIFY_USERS | SELF,
    secrets=("secret",),
)
def update_token(ctx, params):
    cfg = _user_cfg(ctx)
    check_digest(cfg, params.get("digest"))
    tokenid, entry = _lookup_token(ctx, params["userid"], params["token-name"])
    data = {k: v for k, v in entry.items() if k != "type"}
    for name in params.get("delete", []):
        data.pop(name, None)
    if "comment" in params:
        data["comment"] = params["comment"]
        trim_comment(data)
    _normalise_enable_expire(data, params)
    secret = _new_secret(ctx, tokenid) if params.get("regenerate") else None
    cfg.set(tokenid, "token", data)
    # PBS src/api2/access/user.rs: {"secret": ...} after a regenerate, otherwise null
    # (the published schema declares an object; the contract checker lists that quirk)
    return {"secret": secret} if secret is not None else None


@endpoint(
    "DELETE",
    "/access/users/{userid}/token/{token-name}",
    params={**TOKEN_PARAMS, "digest": s.DIGEST},
    permission=MODIFY_USERS | SELF,
)
def delete_token(ctx, params):
    userid, name = params["userid"], params["token-name"]
    cfg = _user_cfg(ctx)
    check_digest(cfg, params.get("digest"))
    tokenid = f"{userid}!{name}"
    if cfg.get(tokenid, "token") is None:
        raise ApiError(400, f"token '{name}' of user '{userid}' does not exist.")
    _remove_token(ctx, tokenid)


# -- password -----------------------------------------------------------------------------


@endpoint(
    "PUT",
    "/access/password",
    params={
        "userid": s.USERID.req(),
        "password": PASSWORD.req(),
        "confirmation-password": s.string(max_length=64),
    },
    permission=perms.Anybody(),
    secrets=("password", "confirmation-password"),
)
def change_password(ctx, params):
    if ctx.token_name is not None:
        raise ApiError(401, "API tokens cannot access this API endpoint")
    userid = params["userid"]
    if not perms.is_superuser(ctx.auth_id):
        confirmation = params.get("confirmation-password")
        if confirmation is None or not ctx.state.check_password(ctx.userid, confirmation):
            raise ApiError(401, "authentication failed")
        if userid != ctx.userid:
            realm = values.split_userid(userid)[1]
            if realm == "pam":
                raise ApiError(400, "only superuser can edit pam credentials!")
            perms.check_privs(ctx, "/", "Permissions.Modify")
    if ctx.state.user(userid) is None:
        raise ApiError(401, f"user '{userid}' does not exists.")
    ctx.state.set_password(userid, params["password"])


# -- ACLs ---------------------------------------------------------------------------------

_ACL_FIXED = {
    "/",
    "/access",
    "/access/acl",
    "/access/users",
    "/access/domains",
    "/access/openid",
    "/datastore",
    "/remote",
    "/system",
    "/system/certificates",
    "/system/disks",
    "/system/log",
    "/system/notifications",
    "/system/status",
    "/system/tasks",
    "/system/time",
    "/system/services",
    "/system/network",
    "/system/network/dns",
    "/system/network/interfaces",
    "/system/s3-endpoint",
    "/system/encryption-keys",
    "/tape",
    "/tape/device",
    "/tape/pool",
    "/tape/job",
}


def check_acl_path(path):
    """PBS's check_acl_path: the paths ACL entries may be added on."""
    comps = [c for c in path.split("/") if c]
    ok = path in _ACL_FIXED
    if not ok and comps:
        head, rest = comps[0], comps[1:]
        if head == "datastore":
            ok = 1 <= len(rest) <= 8
        elif head == "remote":
            ok = 1 <= len(rest) <= 9
        elif head == "access" and len(rest) == 2 and rest[0] == "openid":
            ok = True
        elif head == "system" and len(rest) == 2:
            ok = rest[0] in ("services", "s3-endpoint", "encryption-keys")
        elif head == "system" and len(rest) == 3:
            ok = rest[:2] == ["network", "interfaces"]
        elif head == "tape" and len(rest) == 2:
            ok = rest[0] in ("device", "pool", "job")
    if not ok:
        raise ApiError(400, f"invalid acl path '{path}'.")


@endpoint(
    "GET",
    "/access/acl",
    params={"path": s.ACL_PATH, "exact": s.boolean()},
    permission=perms.Anybody(),
)
def read_acl(ctx, params):
    auditor = "Sys.Audit" in ctx.state.privileges(ctx.auth_id, "/access/acl")
    path = params.get("path")
    exact = params.get("exact", False)
    out = []
    for entry_path, ugid, role, propagate in sorted(ctx.state.acl_entries()):
        if path is not None:
            prefix = path.rstrip("/") + "/"
            if entry_path != path and (exact or not entry_path.startswith(prefix)):
                continue
        if not auditor:
            if ctx.token_name is not None:
                continue
            user, token = values.split_authid(ugid)
            if token is None or user != ctx.userid:
                continue
        out.append({"path": entry_path, "ugid": ugid, "ugid_type": "user", "roleid": role,
                    "propagate": propagate})
    ctx.attrs["digest"] = ctx.state.acl.digest()
    return out


@endpoint(
    "PUT",
    "/access/acl",
    params={
        "path": s.ACL_PATH.req(),
        "role": s.enum(*perms.ROLE_NAMES).req(),
        "propagate": s.boolean(),
        "auth-id": s.AUTHID,
        "group": s.string(pattern=values.USER_NAME_RE, min_length=3, max_length=64),
        "delete": s.boolean(),
        "digest": s.DIGEST,
    },
    permission=perms.Anybody(),
)
def update_acl(ctx, params):
    auth_id = params.get("auth-id")
    if "Permissions.Modify" not in ctx.state.privileges(ctx.auth_id, "/access/acl"):
        if "group" in params:
            raise ApiError(400, "Unprivileged users are not allowed to create group ACL item.")
        if auth_id is None:
            raise ApiError(400, "Unprivileged user needs to provide auth_id to update ACL item.")
        owner, token = values.split_authid(auth_id)
        if ctx.token_name is not None:
            raise ApiError(400, "Unprivileged API tokens can't set ACL items.")
        if token is None:
            raise ApiError(400, "Unprivileged users can only set ACL items for API tokens.")
        if owner != ctx.userid:
            raise ApiError(
                400, "Unprivileged users can only set ACL items for their own API tokens."
            )
    check_digest(ctx.state.acl, params.get("digest"))
    delete = params.get("delete", False)
    if "group" in params:
        raise ApiError(400, "parameter 'group' - groups are currently not supported.")
    if auth_id is None:
        raise ApiError(400, "missing 'userid' or 'group' parameter.")
    path, role = params["path"], params["role"]
    if delete:
        ctx.state.acl_remove(path, auth_id, role)
        return
    if _user_cfg(ctx).get(auth_id) is None:
        kind = "API token" if values.split_authid(auth_id)[1] else "user"
        raise ApiError(400, f"no such {kind}.")
    check_acl_path(path)
    ctx.state.acl_add(path, auth_id, role, params.get("propagate", True))


# -- roles, permissions, domains ------------------------------------------------------------


@endpoint("GET", "/access/roles", params=None, permission=perms.Anybody())
def list_roles(ctx, params):
    return [
        {"roleid": role, "privs": list(privs), "comment": comment}
        for role, (privs, comment) in perms.ROLES.items()
    ]


@endpoint(
    "GET",
    "/access/permissions",
    params={"auth-id": s.AUTHID, "path": s.ACL_PATH},
    permission=perms.Anybody(),
)
def list_permissions(ctx, params):
    auth_id = params.get("auth-id", ctx.auth_id)
    if auth_id != ctx.auth_id:
        owner, token = values.split_authid(auth_id)
        if not (token is not None and owner == ctx.userid):
            perms.check_privs(ctx, "/access", "Sys.Audit")
    if "path" in params:
        paths = [params["path"]]
    else:
        paths = ["/", "/access", "/datastore", "/remote", "/system"]
        for entry_path, ugid, _role, _prop in ctx.state.acl_entries():
            if ugid == auth_id and entry_path not in paths:
                paths.append(entry_path)
    out = {}
    for path in paths:
        privs, propagated = ctx.state.privileges_details(auth_id, path)
        if privs:
            out[path] = {p: p in propagated for p in perms.priv_order(privs)}
    return out


@endpoint("GET", "/access/domains", params=None, permission=perms.World())
def list_domains(ctx, params):
    cfg = ctx.state.file("domains.cfg")
    out = []
    for realm, entry in cfg.items():
        item = {"realm": realm, "type": entry["type"]}
        for key in ("comment", "default"):
            if key in entry:
                item[key] = entry[key]
        out.append(item)
    ctx.attrs["digest"] = cfg.digest()
    return out
