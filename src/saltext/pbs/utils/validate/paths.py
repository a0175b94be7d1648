"""
Hierarchical paths: datastore namespaces and ACL paths.
"""

from saltext.pbs.utils.validate._common import _as_check
from saltext.pbs.utils.validate._common import _Invalid
from saltext.pbs.utils.validate._common import _require_str
from saltext.pbs.utils.validate._common import _show
from saltext.pbs.utils.validate.names import _safe_id


_MAX_NS_DEPTH = 7


def _namespace(value):
    _require_str(value)
    if value == "":
        return
    if len(value) > 256:
        raise _Invalid("may be at most 256 characters long")
    if value.startswith("/") or value.endswith("/"):
        raise _Invalid("must not start or end with '/' (the root namespace is '')")
    parts = value.split("/")
    for part in parts:
        if not part:
            raise _Invalid("contains an empty component ('//')")
        _safe_id(part, what=f"component {part!r}")
    if len(parts) > _MAX_NS_DEPTH:
        raise _Invalid(f"has {len(parts)} levels, at most {_MAX_NS_DEPTH} are allowed")


def check_namespace(value):
    """Check a namespace path ``a/b/c``: at most 7 SAFE_ID components, 256 characters."""
    return _as_check(_namespace, value)


# Children of /system that are leaves; the other children have their own rules below.
_SYSTEM_LEAVES = frozenset(
    ["certificates", "disks", "log", "notifications", "status", "tasks", "time"]
)
_SYSTEM_WITH_ID = frozenset(["services", "s3-endpoint", "encryption-keys"])
_TAPE_WITH_ID = frozenset(["device", "pool", "job"])
_ACCESS_LEAVES = frozenset(["acl", "users", "domains"])
_ACL_ROOTS = ("access", "datastore", "remote", "system", "tape")


def _acl_path_known(parts):
    """Whether PBS allows ACL entries on this path (split into components)."""
    depth = len(parts)
    if depth == 0:
        return True
    root = parts[0]
    if depth == 1:
        return root in _ACL_ROOTS
    second = parts[1]
    if root == "datastore":
        # /datastore/{store}/{ns1}/.../{ns7}
        return depth <= 2 + _MAX_NS_DEPTH
    if root == "remote":
        # /remote/{remote}/{store}/{ns1}/.../{ns7}
        return depth <= 3 + _MAX_NS_DEPTH
    if root == "access":
        return (second in _ACCESS_LEAVES and depth == 2) or (second == "openid" and depth <= 3)
    if root == "tape":
        return second in _TAPE_WITH_ID and depth <= 3
    if root == "system":
        if second in _SYSTEM_LEAVES:
            return depth == 2
        if second in _SYSTEM_WITH_ID:
            return depth <= 3
        if second == "network":
            if depth == 2:
                return True
            if parts[2] == "dns":
                return depth == 3
            return parts[2] == "interfaces" and depth <= 4
    return False


def _acl_path(value):
    _require_str(value)
    if len(value) > 128:
        raise _Invalid("may be at most 128 characters long")
    if value == "/":
        return
    if not value.startswith("/"):
        raise _Invalid("must start with '/'")
    if value.endswith("/"):
        raise _Invalid("must not end with '/'")
    parts = value[1:].split("/")
    for part in parts:
        if not part:
            raise _Invalid("contains an empty component ('//')")
        _safe_id(part, what=f"component {part!r}")
    if not _acl_path_known(parts):
        if parts[0] not in _ACL_ROOTS:
            raise _Invalid(
                f"'/{parts[0]}' is not an ACL root; use /, /access, /datastore, /remote, "
                "/system or /tape"
            )
        raise _Invalid(f"{_show(value, 60)} is not a path PBS accepts ACLs on")


def check_acl_path(value):
    """
    Check an ACL path: the syntax (``/`` or ``/SAFE_ID/...``, at most 128 characters) and
    that PBS accepts ACL entries there (``/access...``, ``/datastore[/{store}[/{ns}...]]``
    with up to 7 namespace levels, ``/remote...``, ``/system...``, ``/tape...``).
    """
    return _as_check(_acl_path, value)
