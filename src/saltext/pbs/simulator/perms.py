"""Privileges, built-in roles and the permission objects endpoints declare.

Privilege names and order, role contents and role comments are PBS's (pbs-api-types
acl.rs). ``root@pam`` (the user, never its tokens) is the superuser: it bypasses every
router permission check and has every privilege on every path.

Permission objects are what the router checks before parameters are parsed (failure: 403
``permission check failed``). Handlers that check privileges themselves use
:func:`check_privs`, which raises PBS's 400 ``missing permissions '<P>' on '<path>'``.
"""

import re

from saltext.pbs.simulator.errors import ApiError

SUPERUSER = "root@pam"

PRIVILEGES = (
    "Sys.Audit",
    "Sys.Modify",
    "Sys.PowerManagement",
    "Datastore.Audit",
    "Datastore.Allocate",
    "Datastore.Modify",
    "Datastore.Read",
    "Datastore.Verify",
    "Datastore.Backup",
    "Datastore.Prune",
    "Permissions.Modify",
    "Remote.Audit",
    "Remote.Modify",
    "Remote.Read",
    "Remote.DatastoreBackup",
    "Remote.DatastoreModify",
    "Remote.DatastorePrune",
    "Sys.Console",
    "Tape.Audit",
    "Tape.Modify",
    "Tape.Write",
    "Tape.Read",
    "Realm.Allocate",
)

# role -> (privileges, comment)
ROLES = {
    "Admin": (PRIVILEGES, "Administrator"),
    "Audit": (("Sys.Audit", "Datastore.Audit"), "Auditor"),
    "NoAccess": ((), "Disable Access"),
    "DatastoreAdmin": (
        (
            "Datastore.Audit",
            "Datastore.Modify",
            "Datastore.Read",
            "Datastore.Verify",
            "Datastore.Backup",
            "Datastore.Prune",
        ),
        "Datastore Administrator",
    ),
    "DatastoreReader": (
        ("Datastore.Audit", "Datastore.Read", "Datastore.Verify"),
        "Datastore Reader (inspect datastore content and do restores)",
    ),
    "DatastoreBackup": (
        ("Datastore.Backup",),
        "Datastore Backup (backup and restore owned backups)",
    ),
    "DatastorePowerUser": (
        ("Datastore.Backup", "Datastore.Prune"),
        "Datastore PowerUser (backup, restore and prune owned backup)",
    ),
    "DatastoreAudit": (("Datastore.Audit",), "Datastore Auditor"),
    "RemoteAudit": (("Remote.Audit",), "Remote Auditor"),
    "RemoteAdmin": (("Remote.Audit", "Remote.Modify", "Remote.Read"), "Remote Administrator"),
    "RemoteSyncOperator": (("Remote.Audit", "Remote.Read"), "Synchronization Operator"),
    "RemoteSyncPushOperator": (
        ("Remote.Audit", "Remote.DatastoreBackup"),
        "Synchronisation Operator (push direction)",
    ),
    "RemoteDatastorePowerUser": (
        ("Remote.Audit", "Remote.DatastoreBackup", "Remote.DatastorePrune"),
        "Remote Datastore Prune",
    ),
    "RemoteDatastoreAdmin": (
        (
            "Remote.Audit",
            "Remote.DatastoreBackup",
            "Remote.DatastoreModify",
            "Remote.DatastorePrune",
        ),
        "Remote Datastore Admin",
    ),
    "TapeAudit": (("Tape.Audit",), "Tape Auditor"),
    "TapeAdmin": (("Tape.Audit", "Tape.Modify", "Tape.Read", "Tape.Write"), "Tape Administrator"),
    "TapeOperator": (("Tape.Audit", "Tape.Read", "Tape.Write"), "Tape Operator"),
    "TapeReader": (("Tape.Audit", "Tape.Read"), "Tape Reader"),
}
ROLE_NAMES = tuple(ROLES)


def is_superuser(auth_id):
    return auth_id == SUPERUSER


def priv_order(privs):
    """Privilege names in PBS's bit order."""
    return [p for p in PRIVILEGES if p in set(privs)]


def _as_tuple(privs):
    return (privs,) if isinstance(privs, str) else tuple(privs)


_PLACEHOLDER = re.compile(r"\{([^}]+)\}")


def fill_path(template, params):
    """``"/datastore/{name}"`` with ``params`` -> ``"/datastore/store1"``.

    A missing or empty value drops the component (PBS builds the path from the given
    components only)."""
    comps = []
    for comp in template.split("/"):
        if not comp:
            continue
        match = _PLACEHOLDER.fullmatch(comp)
        if match:
            value = params.get(match.group(1))
            if isinstance(value, list):
                value = value[0] if value else None
            if value in (None, ""):
                continue
            comps.extend(c for c in str(value).split("/") if c)
        else:
            comps.append(comp)
    return "/" + "/".join(comps)


def _ctx_params(ctx, params):
    merged = dict(params or {})
    merged.update(getattr(ctx, "path_params", None) or {})
    return merged


class Permission:
    """Base class: ``check(ctx, params) -> bool``."""

    def check(self, ctx, params):  # pragma: no cover - interface
        raise NotImplementedError

    def __or__(self, other):
        return Or(self, other)

    def __and__(self, other):
        return And(self, other)


class World(Permission):
    """No authentication needed at all."""

    def check(self, ctx, params):
        return True


class Anybody(Permission):
    """Any authenticated user or token."""

    def check(self, ctx, params):
        return bool(getattr(ctx, "auth_id", None))


class Superuser(Permission):
    """``root@pam`` only (PBS's default for routes without an access declaration)."""

    def check(self, ctx, params):
        return is_superuser(ctx.auth_id)


class Privilege(Permission):
    """The privileges on a path (template filled from path/request params).

    ``any_of=True`` is PBS's ``partial``: one of the privileges suffices.
    """

    def __init__(self, path_template, privs, any_of=False):
        self.path_template = path_template
        self.privs = _as_tuple(privs)
        self.any_of = any_of

    def check(self, ctx, params):
        if is_superuser(ctx.auth_id):
            return True
        path = fill_path(self.path_template, _ctx_params(ctx, params))
        have = ctx.state.privileges(ctx.auth_id, path)
        if self.any_of:
            return bool(have & set(self.privs))
        return set(self.privs) <= have


class SelfParam(Permission):
    """PBS's UserParam: the caller's auth id equals a parameter (so a token never
    matches its owner's user id)."""

    def __init__(self, param="userid"):
        self.param = param

    def check(self, ctx, params):
        value = _ctx_params(ctx, params).get(self.param)
        if isinstance(value, list):
            value = value[0] if value else None
        return value is not None and value == ctx.auth_id


class Or(Permission):
    def __init__(self, *alternatives):
        self.alternatives = alternatives

    def check(self, ctx, params):
        return is_superuser(ctx.auth_id) or any(p.check(ctx, params) for p in self.alternatives)


class And(Permission):
    def __init__(self, *parts):
        self.parts = parts

    def check(self, ctx, params):
        return is_superuser(ctx.auth_id) or all(p.check(ctx, params) for p in self.parts)


def has_privs(state, auth_id, path, privs, any_of=False):
    have = state.privileges(auth_id, path)
    privs = set(_as_tuple(privs))
    return bool(have & privs) if any_of else privs <= have


def check_privs(ctx, path, privs, any_of=False):
    """Handler-level check like PBS's CachedUserInfo::check_privs (400 on failure)."""
    if has_privs(ctx.state, ctx.auth_id, path, privs, any_of):
        return
    names = ("|" if any_of else "&").join(priv_order(_as_tuple(privs)))
    comps = "/".join(c for c in path.split("/") if c)
    raise ApiError(400, f"missing permissions '{names}' on '/{comps}'")
