"""
Catalog entry of PBS ACL entries (``/access/acl``).

No item path: the whole tree is listed once, an entry (path, auth id, role) is created,
re-flagged (``propagate``) and removed by ``PUT /access/acl`` on the collection, a removal
carrying ``delete: true``. PBS 4 rejects group ACLs; roles are built in
(:data:`~saltext.pbs.utils.kinds.access.ROLES`). How roles add up to privileges on a path
is in :mod:`saltext.pbs.utils.flows.permissions`.
"""

import collections

from saltext.pbs.utils import validate
from saltext.pbs.utils.catalog import Hooks
from saltext.pbs.utils.catalog import Kind
from saltext.pbs.utils.catalog import Prop
from saltext.pbs.utils.catalog import Wire
from saltext.pbs.utils.catalog import invalid
from saltext.pbs.utils.kinds.access import ROLES

ACL_PRIVILEGES = {
    "list": "``Sys.Audit`` on ``/access/acl`` (others see only their own tokens' entries)",
    "create": "``Permissions.Modify`` on ``/access/acl`` (or, for one's own API tokens,"
    " being their user)",
    "update": "``Permissions.Modify`` on ``/access/acl``",
    "delete": "``Permissions.Modify`` on ``/access/acl``",
}


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


def _acl_listed(ident, body):
    # PBS lists tokens' entries as ugid_type "user" too
    return {
        "path": ident.path,
        "ugid": ident.auth_id,
        "ugid_type": "user",
        "roleid": ident.role,
        "propagate": body.get("propagate", True),
    }


ACL = Kind(
    name="acl",
    title="ACL entry",
    collection="/access/acl",
    item=None,
    id_param="path",
    id_key="path",
    wire=Wire(
        id_body=lambda ident: {"path": ident.path, "auth-id": ident.auth_id, "role": ident.role},
        create_method="PUT",
        delete_method="PUT",
        delete_body={"delete": True},
    ),
    hooks=Hooks(match=_acl_match, state_args=_acl_state_args, listed=_acl_listed),
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


def acl_entry(path, auth_id, role, group=None, path_field="name"):
    """
    Validate one ACL entry's identity; returns an :class:`AclEntry`. ``path_field`` is the
    argument that carries the path (``name`` in states, ``path`` in execution functions).
    """
    if group is not None:
        raise invalid(
            "group",
            "PBS 4 does not support group ACLs (it rejects every ACL entry for a group);"
            " grant the role to each user or API token with 'auth_id' instead",
        )
    check_path(path, path_field)
    if auth_id is None or auth_id == "":
        raise invalid("auth_id", "a user (name@realm) or API token (name@realm!token) is required")
    reason = validate.check_authid(auth_id) if isinstance(auth_id, str) else "expected text"
    if reason:
        raise invalid("auth_id", reason)
    if role not in ROLES:
        raise invalid("role", f"{role!r} is not a PBS role; one of {', '.join(ROLES)}")
    return AclEntry(path, auth_id, role)
