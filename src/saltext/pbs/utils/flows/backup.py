"""
Flows of the states on backup contents: a group's owner and notes, a snapshot's protection
and notes. These are settings PBS keeps on objects that only backups create: a state never
creates (nor deletes) a group or snapshot. One that does not exist yet is not an error in
test mode (it may appear with the next backup) and a clear failure otherwise.
"""

from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.kinds import backup

_BASE = "/admin/datastore/{store}"


def _notes_text(notes):
    if not isinstance(notes, (str, int, float)) or isinstance(notes, bool):
        raise SaltInvocationError("Invalid value for 'notes': expected text")
    return str(notes)


def _selector(name, backup_type, backup_id):
    """(type, id, time from the name or None): from the arguments, else the state's name."""
    if backup_type is None and backup_id is None:
        return backup.split_name(name)
    return backup_type, backup_id, None


def _label(params, what="backup group"):
    text = f"{what} {params['backup-type']}/{params['backup-id']}"
    if "backup-time" in params:
        text += "/" + backup.time_text(params["backup-time"])
    text += f" in datastore '{params['store']}'"
    return text + (f" namespace '{params['ns']}'" if params.get("ns") else "")


def _missing(ret, test, label, what):
    if test:
        ret.update(result=None, comment=f"{label} does not exist yet; PBS makes it with a"
                                        f" backup, and its {what} will be set then")
    else:
        ret.update(result=False, comment=f"{label} does not exist: PBS makes it with a"
                                         f" backup; there is nothing to set its {what} on")
    return ret


def _converge(ret, test, label, current, want, setters):
    """Diff ``want`` against ``current`` exactly; in test mode report, else apply each
    change with ``setters[key](value)`` in ``want``'s order. A failure after some changes
    names what was applied (those stay in ``changes``)."""
    diff = {k: {"old": current.get(k), "new": v} for k, v in want.items() if current.get(k) != v}
    if not diff:
        ret["comment"] = f"{label} is as wanted"
        return ret
    if test:
        ret.update(result=None, changes=diff,
                   comment=f"{label}: would change {', '.join(diff)}")
        return ret
    for key, change in diff.items():
        try:
            setters[key](change["new"])
        except (CommandExecutionError, SaltInvocationError) as err:
            done = ", ".join(ret["changes"]) or "nothing"
            ret.update(result=False, comment=f"{label}: setting {key} failed ({err});"
                                             f" changed before the failure: {done}")
            return ret
        ret["changes"][key] = change
    ret["comment"] = f"{label}: changed {', '.join(diff)}"
    return ret


def group_managed(name, store, backup_type, backup_id, ns, owner, notes, *, opts, context,
                  config_get, profile):
    """State ``pbs_backup_group.managed``; see the state module."""
    ret = reconcile.new_ret(name)
    test = bool(opts.get("test"))
    try:
        backup_type, backup_id, extra = _selector(name, backup_type, backup_id)
        if extra is not None:
            raise SaltInvocationError(
                f"Invalid value for 'name': {name!r} names a snapshot; a group is TYPE/ID"
            )
        params = backup.group_params(store, backup_type, backup_id, ns)
        want = {}
        if notes is not None:  # notes first: an owner change may end the caller's access
            want["notes"] = _notes_text(notes)
        if owner is not None:
            want["owner"] = backup.NEW_OWNER.coerce(owner, "owner")
        client = pbs_client.get_client(opts, context, config_get, profile)
        current = backup.group_view(client, params)
    except (SaltInvocationError, CommandExecutionError) as err:
        return reconcile.failed(name, err)
    label = _label(params)
    if current is None:
        return _missing(ret, test, label, " and ".join(want) or "settings")
    body = {k: v for k, v in params.items() if k != "store"}

    def path(suffix):
        return client.path(_BASE + suffix, store=params["store"])

    setters = {
        "notes": lambda value: client.put(path("/group-notes"), data=dict(body, notes=value)),
        "owner": lambda value: client.post(path("/change-owner"),
                                           data=dict(body, **{"new-owner": value})),
    }
    return _converge(ret, test, label, current, want, setters)


def snapshot_managed(name, store, backup_type, backup_id, backup_time, ns, protected, notes,
                     *, opts, context, config_get, profile):
    """State ``pbs_backup_snapshot.managed``; see the state module."""
    ret = reconcile.new_ret(name)
    test = bool(opts.get("test"))
    try:
        backup_type, backup_id, from_name = _selector(name, backup_type, backup_id)
        when = backup_time if backup_time is not None else (from_name or "latest")
        backup.check_backup_time(when)
        params = backup.group_params(store, backup_type, backup_id, ns)
        want = {}
        if protected is not None:
            if not isinstance(protected, bool):
                raise SaltInvocationError(
                    f"Invalid value for 'protected': expected true or false, got {protected!r}"
                )
            want["protected"] = protected
        if notes is not None:
            want["notes"] = _notes_text(notes)
        client = pbs_client.get_client(opts, context, config_get, profile)
        current = backup.snapshot_view(client, params, when)
    except (SaltInvocationError, CommandExecutionError) as err:
        return reconcile.failed(name, err)
    if current is None:
        what = "newest snapshot" if when == "latest" else f"snapshot at {when}"
        return _missing(ret, test, _label(params, f"{what} of group"),
                        " and ".join(want) or "settings")
    label = _label(params, "snapshot")
    body = {k: v for k, v in params.items() if k != "store"}

    def path(suffix):
        return client.path(_BASE + suffix, store=params["store"])

    setters = {
        "protected": lambda value: client.put(path("/protected"),
                                              data=dict(body, protected=value)),
        "notes": lambda value: client.put(path("/notes"), data=dict(body, notes=value)),
    }
    return _converge(ret, test, label, current, want, setters)
