"""Authentication realms and WebAuthn settings.

PBS src/api2/config/access/{ldap,ad,openid,pam,pbs,tfa}.rs, src/api2/access/domain.rs,
src/server/realm_sync_job.rs; types from pbs-api-types {ldap,ad,openid,lib}.rs and
proxmox-tfa api/webauthn.rs.

All realms live in ``domains.cfg`` (one digest, one name space, shared with the built-in
``pam`` and ``pbs`` realms). Rules reproduced from the handlers:

* An update that does not say ``default: true`` clears ``default`` (the handlers set it to
  None in the else branch); ``default: true`` on create or update clears it everywhere else.
* The LDAP/AD bind ``password`` is write-only (kept in a separate store, deletable).
  ``capath`` is accepted by LDAP/AD updates but not applied (the handlers never copy it).
* LDAP/AD create and update test the directory connection. The simulated test is fed by
  ``state.runtime``: ``"ldap-unreachable"`` ``{server: reason}`` (the request fails with
  the reason when every configured server is listed) and ``"ldap-bind-passwords"``
  ``{bind-dn: password}`` (a different password fails the bind). An AD realm created
  without ``base-dn`` gets the server's naming context: ``"ad-naming-context"``
  ``{server: dn}``, else derived from the server's DNS domain.
* DELETE on any of the three paths removes the named realm whatever its type (the
  handlers remove the section by name).
* ``POST /access/domains/{realm}/sync`` runs a ``realm-sync`` task that creates, updates
  and (with ``remove-vanished``) removes ``<user>@<realm>`` users from the directory
  listed in ``state.runtime["realm-directory"]`` ``{realm: [{"user": "alice",
  "email"?, "firstname"?, "lastname"?}]}``.
* WebAuthn settings (``tfa.json``): GET answers ``null`` until configured; its digest is
  the SHA-256 of the canonical JSON of the settings alone; PUT is root@pam only (no access
  declaration) and the first PUT needs ``rp`` and ``id``; ``origin`` is stored as the URL's
  origin (``scheme://host[:port]``, default port dropped).
"""

import hashlib
import ipaddress
import json
import re
import urllib.parse

from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema as s
from saltext.pbs.simulator import tasks
from saltext.pbs.simulator import values
from saltext.pbs.simulator.collections import DIGEST_MISMATCH
from saltext.pbs.simulator.collections import Collection
from saltext.pbs.simulator.collections import check_digest
from saltext.pbs.simulator.collections import trim_comment
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.errors import ParamError
from saltext.pbs.simulator.router import endpoint

FILE = "domains.cfg"
BIND_PASSWORDS = "domains.cfg:bind-password"
REALM_ID = s.safe_id(2, 32)
AUDIT = perms.Privilege("/access/domains", "Sys.Audit")
ALLOCATE = perms.Privilege("/access/domains", "Realm.Allocate")
# proxmox-schema GENERIC_URI_REGEX
GENERIC_URI_RE = r'^[^\x00-\x1f\x7f <>#"]*$'


def list_format(item, min_items=None):
    """A string holding a list in property-string form (PBS splits on ``,``, ``;`` and
    whitespace; proxmox-schema Schema::parse_property_string for arrays)."""

    def check(text):
        parts = [part for part in re.split(r"[,;\s]+", text) if part]
        for part in parts:
            try:
                s.parse_params({"v": part}, {"v": item.req()}, "form")
            except ParamError as exc:
                return f"unable to parse array element: {exc.errors['v']}"
        if min_items is not None and len(parts) < min_items:
            return f"array must contain at least {min_items} elements"
        return None

    return check


REMOVE_VANISHED = s.string(fmt=list_format(s.enum("acl", "entry", "properties"), 1))
SYNC_DEFAULTS = s.prop_string({"remove-vanished": REMOVE_VANISHED, "enable-new": s.boolean()})
SYNC_ATTRIBUTES = s.prop_string(
    {"email": s.string(), "firstname": s.string(), "lastname": s.string()}
)
USER_CLASSES = s.string(fmt=list_format(s.string(), 1))

DIRECTORY_PROPS = {
    "server1": s.string().req(),
    "server2": s.string(),
    "port": s.integer(minimum=0, maximum=65535),
    "base-dn": s.string().req(),
    "comment": s.COMMENT,
    "default": s.boolean(),
    "mode": s.enum("ldap", "ldap+starttls", "ldaps"),
    "verify": s.boolean(),
    "capath": s.string(),
    "bind-dn": s.string(),
    "filter": s.string(),
    "sync-defaults-options": SYNC_DEFAULTS,
    "sync-attributes": SYNC_ATTRIBUTES,
    "user-classes": USER_CLASSES,
    "password": s.string(),
}
LDAP_PROPS = {**DIRECTORY_PROPS, "user-attr": s.string().req()}
AD_PROPS = {**DIRECTORY_PROPS, "base-dn": s.string()}
DIRECTORY_DELETABLE = (
    "server2",
    "port",
    "comment",
    "default",
    "verify",
    "mode",
    "bind-dn",
    "password",
    "filter",
    "sync-defaults-options",
    "sync-attributes",
    "user-classes",
)

OPENID_PROPS = {
    "issuer-url": s.string().req(),
    "client-id": s.string().req(),
    "client-key": s.string(),
    "scopes": s.string(fmt=list_format(s.safe_id(1, None))),
    "acr-values": s.string(fmt=list_format(s.string(pattern=GENERIC_URI_RE))),
    # PBS 4.2 (newer than some API dumps)
    "audiences": s.string(fmt=list_format(s.string(pattern=GENERIC_URI_RE, max_length=256))),
    "prompt": s.string(pattern=values.SAFE_ID_RE),
    "comment": s.COMMENT,
    "default": s.boolean(),
    "autocreate": s.boolean(),
    "username-claim": s.safe_id(1, 64),
}
OPENID_DELETABLE = (
    "client-key",
    "comment",
    "default",
    "autocreate",
    "scopes",
    "prompt",
    "acr-values",
    "audiences",
)


def unset_default_realm(cfg, keep=None):
    """pbs_config::domains::unset_default_realm: no other realm stays the default."""
    for realm, entry in cfg.items():
        if realm != keep and "default" in entry:
            props = {k: v for k, v in entry.items() if k not in ("type", "default")}
            cfg.set(realm, entry["type"], props)


def _unreachable(state, data):
    """The connection error when no configured server answers (the last one's), else None."""
    servers = [data["server1"]] + ([data["server2"]] if data.get("server2") else [])
    down = state.runtime.get("ldap-unreachable", {})
    return down[servers[-1]] if all(server in down for server in servers) else None


def _directory_check(state, data):
    """proxmox-ldap Connection::check_connection, fed by the simulator's runtime data."""
    runtime = state.runtime
    error = _unreachable(state, data)
    if error:
        raise ApiError(400, error)
    bind_dn = data.get("bind-dn")
    if bind_dn is None:
        return
    password = data.get("password")
    if password is None:
        raise ApiError(400, f"Missing bind password for {bind_dn}")
    expected = runtime.get("ldap-bind-passwords", {}).get(bind_dn)
    if expected is not None and expected != password:
        # the cause text comes from ldap3 (an LDAP result code 49)
        raise ApiError(
            400,
            "LDAP bind failed, bind_dn or password could be incorrect: "
            'LDAP operation result: rc=49 (invalidCredentials), dn: "", text: ""',
        )


def _naming_context(ctx, data):
    """The AD server's defaultNamingContext (simulated)."""
    error = _unreachable(ctx.state, data)
    if error:
        raise ApiError(400, f"failed to determine base_dn: {error}")
    server = data["server1"]
    known = ctx.state.runtime.get("ad-naming-context", {})
    if server in known:
        return known[server]
    try:
        ipaddress.ip_address(server.strip("[]"))
        labels = []
    except ValueError:
        labels = [label for label in server.split(".") if label][1:]
    if not labels:
        raise ApiError(400, "server did not provide `defaultNamingContext`")
    return ",".join(f"DC={label}" for label in labels)


class Realms(Collection):
    """Realm collections: shared bind-password store, delete by name whatever the type."""

    def secret_store(self, ctx):
        return ctx.state.secret_store(BIND_PASSWORDS)

    def do_delete(self, ctx, params):
        realm = params["realm"]
        cfg = self.cfg(ctx)
        check_digest(cfg, params.get("digest"))
        if cfg.get(realm) is None:
            raise ApiError(404, f"realm '{realm}' does not exist.")
        self.remove(ctx, realm)


def _hooks(directory, ad=False):
    def on_create(ctx, realm, data, params):
        if ad and "base-dn" not in data:
            data["base-dn"] = _naming_context(ctx, data)
        if directory:
            _directory_check(ctx.state, data)
        if data.get("default") is True:
            unset_default_realm(ctx.state.file(FILE))

    def on_update(ctx, realm, data, params, old):
        if "capath" in old:
            data["capath"] = old["capath"]
        else:
            data.pop("capath", None)
        if params.get("default") is True:
            data["default"] = True
        else:
            data.pop("default", None)
        if ad and "base-dn" not in data:
            data["base-dn"] = _naming_context(ctx, data)
        if directory:
            _directory_check(ctx.state, data)
        if data.get("default") is True:
            unset_default_realm(ctx.state.file(FILE), keep=realm)

    return on_create, on_update


def _realms(section_type, props, deletable, secrets=(), create_only=(), **hooks):
    on_create, on_update = _hooks(**hooks)
    return Realms(
        file=FILE,
        section_type=section_type,
        base=f"/config/access/{section_type}",
        id_param="realm",
        id_schema=REALM_ID,
        props=props,
        create_only=create_only,
        deletable=deletable,
        secrets=secrets,
        exists="realm '{id}' already exists.",
        missing_delete="realm '{id}' does not exist.",
        perm_list=ALLOCATE,
        perm_read=AUDIT,
        perm_create=ALLOCATE,
        perm_modify=ALLOCATE,
        on_create=on_create,
        on_update=on_update,
    ).register()


LDAP = _realms("ldap", LDAP_PROPS, DIRECTORY_DELETABLE, ("password",), directory=True)
AD = _realms("ad", AD_PROPS, DIRECTORY_DELETABLE, ("password",), directory=True, ad=True)
OPENID = _realms(
    "openid", OPENID_PROPS, OPENID_DELETABLE, create_only=("username-claim",), directory=False
)


# -- pam / pbs ----------------------------------------------------------------------------


def _builtin_realm(realm):
    def read(ctx, params):
        cfg = ctx.state.file(FILE)
        entry = cfg.get(realm, realm)
        if entry is None:
            raise ApiError(400, f"no such {realm} '{realm}'")
        ctx.attrs["digest"] = cfg.digest()
        data = {"realm": realm, "type": realm}
        data.update({k: v for k, v in entry.items() if k in ("comment", "default")})
        return data

    def update(ctx, params):
        cfg = ctx.state.file(FILE)
        check_digest(cfg, params.get("digest"))
        entry = cfg.get(realm, realm)
        if entry is None:
            raise ApiError(400, f"no such {realm} '{realm}'")
        data = {k: v for k, v in entry.items() if k != "type"}
        for name in params.get("delete", []):
            data.pop(name, None)
        if "comment" in params:
            data["comment"] = params["comment"]
            trim_comment(data)
        data.pop("default", None)
        if params.get("default") is True:
            unset_default_realm(cfg)
            data["default"] = True
        cfg.set(realm, realm, data)

    endpoint("GET", f"/config/access/{realm}", params=None, permission=AUDIT)(read)
    endpoint(
        "PUT",
        f"/config/access/{realm}",
        params={
            "comment": s.COMMENT,
            "default": s.boolean(),
            "delete": s.array(s.enum("comment", "default")),
            "digest": s.DIGEST,
        },
        permission=ALLOCATE,
    )(update)


_builtin_realm("pam")
_builtin_realm("pbs")


# -- realm sync ---------------------------------------------------------------------------


def _running_sync(ctx, realm):
    return any(
        record["status"] == "running"
        and record["worker_type"] == "realm-sync"
        and record["worker_id"] == realm
        for record in ctx.sim.tasks.list()
    )


@endpoint(
    "POST",
    "/access/domains/{realm}/sync",
    params={
        "realm": REALM_ID.req(),
        "dry-run": s.boolean(),
        "remove-vanished": REMOVE_VANISHED,
        "enable-new": s.boolean(),
    },
    permission=perms.Privilege("/access/users", "Permissions.Modify"),
)
def sync_realm(ctx, params):
    realm = params["realm"]
    if _running_sync(ctx, realm):
        raise ApiError(400, "realm sync already running")
    if ctx.state.file(FILE).get(realm) is None:
        raise ApiError(400, f"unable to find realm {realm}")
    args = {
        "realm": realm,
        "dry_run": params.get("dry-run", False),
        "remove_vanished": params.get("remove-vanished"),
        "enable_new": params.get("enable-new"),
    }
    return ctx.sim.tasks.spawn(
        "realm-sync",
        realm,
        ctx.auth_id,
        log=[f"starting realm sync for {realm}"],
        effect="realm.sync",
        args=args,
    )


def _sync_settings(entry, remove_vanished, enable_new):
    defaults = values.parse_property_string(entry.get("sync-defaults-options", ""))
    if remove_vanished is None:
        remove_vanished = defaults.get("remove-vanished", "")
    if enable_new is None:
        enable_new = s.parse_boolean(defaults.get("enable-new", "true"))
    vanished = {w for w in re.split(r"[,;\s]+", remove_vanished) if w}
    return vanished, enable_new


def _synced_user(userid, item, current, enable_new, remove_properties):
    """realm_sync_job.rs new_or_updated_user: the comment, enable and expire of an existing
    user are kept (new users get ``enable`` from enable-new and an explicit ``expire: 0``);
    names and email come from the directory, or stay unless properties are removed."""
    current = current or {}
    user = {"userid": userid}
    if "comment" in current:
        user["comment"] = current["comment"]
    user["enable"] = current.get("enable", bool(enable_new))
    user["expire"] = current.get("expire", 0)
    for key in ("firstname", "lastname", "email"):
        if item.get(key):
            user[key] = item[key]
        elif key in current and not remove_properties:
            user[key] = current[key]
    return user


@tasks.effect("realm.sync")
def _sync_effect(state, task, realm, dry_run, remove_vanished, enable_new):
    cfg = state.file(FILE)
    entry = cfg.get(realm)
    if entry is None or entry["type"] not in ("ldap", "ad"):
        kind = entry["type"] if entry else "unknown"
        raise RuntimeError(f"cannot sync realm {realm} of type {kind}")
    data = dict(entry, password=state.secret_store(BIND_PASSWORDS).get(realm, {}).get("password"))
    try:
        _directory_check(state, data)
    except ApiError as exc:
        raise RuntimeError(exc.message) from None
    vanished, enable_new = _sync_settings(entry, remove_vanished, enable_new)
    users = state.users
    prefix = "(dry test run) " if dry_run else ""
    seen = set()
    for item in state.runtime.get("realm-directory", {}).get(realm, []):
        userid = f"{item['user']}@{realm}"
        seen.add(userid)
        current = users.get(userid, "user")
        new = _synced_user(userid, item, current, enable_new, "properties" in vanished)
        if current is None or new != {k: v for k, v in current.items() if k != "type"}:
            task.log(f"{prefix}{'creating' if current is None else 'updating'} user {userid}")
            if not dry_run:
                users.set(userid, "user", new)
    for userid, _entry in list(users.items("user")):
        if values.split_userid(userid)[1] != realm or userid in seen:
            continue
        if "acl" in vanished:
            task.log(f"{prefix}removing ACL entries of {userid}")
            if not dry_run:
                state.acl_remove_ugid(userid)
        if "entry" in vanished:
            task.log(f"{prefix}removing user {userid}")
            if not dry_run:
                for tokenid, _tok in list(users.items("token")):
                    if values.split_authid(tokenid)[0] == userid:
                        users.remove(tokenid)
                        state.secret_store("token.shadow").pop(tokenid, None)
                        state.acl_remove_ugid(tokenid)
                users.remove(userid)


# -- WebAuthn -----------------------------------------------------------------------------

TFA_FILE = "tfa.json"


def _webauthn(ctx):
    entry = ctx.state.file(TFA_FILE).get("webauthn")
    return None if entry is None else {k: v for k, v in entry.items() if k != "type"}


def webauthn_digest(config):
    """SHA-256 of the settings' canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(config, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _origin(text):
    """url::Url's origin serialisation (``OriginUrl`` Display)."""
    parts = urllib.parse.urlsplit(text)
    if not parts.scheme:
        raise ApiError(400, "relative URL without a base")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        raise ApiError(400, "invalid port number") from None
    if not host:
        raise ApiError(400, "empty host")
    scheme = parts.scheme.lower()
    if ":" in host:
        host = f"[{host}]"
    default_port = {"http": 80, "https": 443}.get(scheme)
    if port is not None and port != default_port:
        return f"{scheme}://{host}:{port}"
    return f"{scheme}://{host}"


@endpoint("GET", "/config/access/tfa/webauthn", params=None, permission=perms.Anybody())
def get_webauthn(ctx, params):
    config = _webauthn(ctx)
    if config is None:
        return None
    ctx.attrs["digest"] = webauthn_digest(config)
    return config


@endpoint(
    "PUT",
    "/config/access/tfa/webauthn",
    params={
        "rp": s.string(),
        "origin": s.string(),
        "id": s.string(),
        "allow-subdomains": s.boolean(),
        "delete": s.array(s.enum("origin", "allow-subdomains")),
        "digest": s.DIGEST,
    },
    permission=perms.Superuser(),
)
def update_webauthn(ctx, params):
    origin = _origin(params["origin"]) if "origin" in params else None
    config = _webauthn(ctx)
    if config is not None:
        if params.get("digest") is not None and params["digest"] != webauthn_digest(config):
            raise ApiError(400, DIGEST_MISMATCH)
        for name in params.get("delete", []):
            config.pop(name, None)
        for name in ("rp", "id", "allow-subdomains"):
            if name in params:
                config[name] = params[name]
        if origin is not None:
            config["origin"] = origin
    else:
        for name in ("rp", "id"):
            if name not in params:
                raise ApiError(400, f"missing property: '{name}'")
        config = {"rp": params["rp"], "id": params["id"]}
        if origin is not None:
            config["origin"] = origin
        if "allow-subdomains" in params:
            config["allow-subdomains"] = params["allow-subdomains"]
    ctx.state.file(TFA_FILE).set("webauthn", "webauthn", config)

