"""
Effective privileges: what PBS reports for an auth id, and, for an API token, what its own
ACL entries grant against what its user has (PBS grants a token only the intersection).
"""

from saltext.pbs.utils import objects
from saltext.pbs.utils import validate
from saltext.pbs.utils.catalog import invalid
from saltext.pbs.utils.kinds.access import ROLES
from saltext.pbs.utils.kinds.access import split_authid
from saltext.pbs.utils.kinds.acl import ACL
from saltext.pbs.utils.kinds.acl import check_path


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


def permissions(client, auth_id: str | None = None, path: str | None = None) -> dict:
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
