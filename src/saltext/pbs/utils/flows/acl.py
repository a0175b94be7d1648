"""
Flows of PBS ACL entries: one entry (``present``/``absent``), every entry on a path
(``managed``), and the execution functions' list, add and remove.
"""

from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import objects
from saltext.pbs.utils import reconcile
from saltext.pbs.utils import state_run
from saltext.pbs.utils.flows import engine_client
from saltext.pbs.utils.catalog import invalid
from saltext.pbs.utils.kinds.access import split_authid
from saltext.pbs.utils.kinds.acl import ACL
from saltext.pbs.utils.kinds.acl import AclEntry
from saltext.pbs.utils.kinds.acl import acl_entry
from saltext.pbs.utils.kinds.acl import check_path
from saltext.pbs.utils.reconcile import StateReturn


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


def acl_present(
    name: str, auth_id=None, role=None, propagate=None, group=None, **engine
) -> StateReturn:
    """State ``pbs_acl.present`` for one entry."""
    try:
        entry = acl_entry(name, auth_id, role, group)
    except SaltInvocationError as err:
        return reconcile.failed(name, err)
    props = {} if propagate is None else {"propagate": propagate}
    ret = reconcile.present(ACL, entry, props, **engine)
    return _shown(_explain_missing_auth_id(ret, entry), entry, name)


def acl_absent(name: str, auth_id=None, role=None, group=None, **engine) -> StateReturn:
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


def acl_managed(name: str, entries, **engine) -> StateReturn:
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


def _listed_acl(engine):
    client = engine_client(engine)
    return state_run.cached_list(
        ACL, opts=engine["opts"], context=engine["context"], client=client
    )[0]


def list_acl(client, path=None, exact: bool = False, auth_id=None) -> list[dict]:
    """ACL entries (optionally those on ``path`` only, or of one ``auth_id``)."""
    params = {}
    if path is not None:
        params = {"path": check_path(path, "path"), "exact": bool(exact)}
    entries = objects.read_list(client, ACL, params=params)[0]
    if auth_id is not None:
        entries = [e for e in entries if e.get("ugid") == auth_id]
    return entries


def create_acl(client, path, auth_id, role, propagate=True, group=None) -> dict:
    """Add one ACL entry (or change its ``propagate`` flag)."""
    entry = acl_entry(path, auth_id, role, group, path_field="path")
    body = {"propagate": ACL.prop("propagate").coerce(propagate, "propagate")}
    objects.send_create(client, ACL, entry, body)
    return {**entry.shown(), **body}


def delete_acl(client, path, auth_id, role, group=None) -> dict:
    """Remove one ACL entry (no error when it does not exist)."""
    entry = acl_entry(path, auth_id, role, group, path_field="path")
    objects.send_delete(client, ACL, entry)
    return entry.shown()
