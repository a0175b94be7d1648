"""One-off sync: ``POST /pull`` and ``POST /push``.

PBS src/api2/pull.rs (check_pull_privs, pull), src/api2/push.rs (check_push_privs, push),
src/server/pull.rs (PullParameters::new, pull_store, pull_ns, pull_group), src/server/push.rs
and src/server/sync.rs (SkipInfo). Both start a ``sync`` task whose worker id is the local
store; privileges are checked in the handler (the route is "any authenticated").

Every remote is answered by this simulator itself: a remote's ``remote-store`` is the
simulated datastore of that name, so a pull or push really copies backup groups between
the simulator's stores (namespaces mapped, owners set, filters, ``transfer-last``,
``verified-only``, ``encrypted-only`` and ``remove-vanished`` applied). Copied snapshots
keep files, notes and verification; protection is not copied (a marker file in PBS).
"""

import copy
import re

from saltext.pbs.simulator import backups
from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema as s
from saltext.pbs.simulator import tasks
from saltext.pbs.simulator.endpoints import datastore
from saltext.pbs.simulator.endpoints import jobs
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.router import endpoint

COMMON = {
    "store": s.safe_id(3, 32).req(),
    "ns": s.NAMESPACE,
    "remote-store": s.safe_id(3, 32).req(),
    "remote-ns": s.NAMESPACE,
    "remove-vanished": s.boolean(),
    "max-depth": jobs.NS_DEPTH,
    "group-filter": s.array(jobs.GROUP_FILTER),
    "rate-in": s.HUMAN_BYTE,
    "burst-in": s.HUMAN_BYTE,
    "rate-out": s.HUMAN_BYTE,
    "burst-out": s.HUMAN_BYTE,
    "transfer-last": s.integer(minimum=1),
    "encrypted-only": s.boolean(),
    "verified-only": s.boolean(),
    "worker-threads": s.integer(minimum=1, maximum=32),
}
PULL_PARAMS = dict(COMMON, **{
    "remote": s.safe_id(3, 32),
    "resync-corrupt": s.boolean(),
    "decryption-keys": s.array(s.safe_id(3, 32)),
})
PUSH_PARAMS = dict(COMMON, **{
    "remote": s.safe_id(3, 32).req(),
    "encryption-key": s.safe_id(3, 32),
})


def _comps(ns):
    return [c for c in (ns or "").split("/") if c]


def _store_ns(store, ns):
    """pbs-api-types print_store_and_ns."""
    if ns:
        return f"datastore '{store}', namespace '{ns}'"
    return f"datastore '{store}', root namespace"


def _remote(ctx, name):
    entry = ctx.state.file("remote.cfg").get(name)
    if entry is None:
        raise ApiError(400, f"no such remote '{name}'")
    return entry


def _check_depth(params):
    if "max-depth" in params:
        for key in ("ns", "remote-ns"):
            jobs.check_max_depth(params.get(key, ""), params["max-depth"])


def _options(params):
    keys = ("ns", "remote-ns", "max-depth", "group-filter", "transfer-last", "encrypted-only",
            "verified-only", "remove-vanished", "resync-corrupt")
    return {key: params[key] for key in keys if key in params}


@endpoint("POST", "/pull", params=PULL_PARAMS, permission=perms.Anybody())
def pull(ctx, params):
    store, remote, remote_store = params["store"], params.get("remote"), params["remote-store"]
    if remote is None and store == remote_store:
        raise ApiError(400, "can't sync to same datastore")
    perms.check_privs(ctx, jobs.store_acl_path(store, params.get("ns")), "Datastore.Backup")
    if remote is not None:
        perms.check_privs(ctx, f"/remote/{remote}/{remote_store}", "Remote.Read")
    else:
        perms.check_privs(ctx, f"/datastore/{remote_store}", "Datastore.Backup")
    if params.get("remove-vanished"):
        perms.check_privs(ctx, jobs.store_acl_path(store, params.get("ns")), "Datastore.Prune")
    _check_depth(params)
    if remote is not None:
        _remote(ctx, remote)
    else:
        datastore.lookup_store(ctx, remote_store)
    datastore.lookup_store(ctx, store, "write")
    for key_id in params.get("decryption-keys", []):
        if ctx.state.file("encryption-keys.cfg").get(key_id) is None:
            raise ApiError(400, f"no such key or cannot access key '{key_id}'")
    args = {"source": remote_store, "target": store, "owner": ctx.auth_id,
            "options": _options(params), "direction": "pull"}
    return ctx.sim.tasks.spawn(
        "sync", store, ctx.auth_id, effect="sync.copy", args=args,
        log=[f"pull datastore '{store}' from '{remote or '-'}/{remote_store}'"],
    )


@endpoint("POST", "/push", params=PUSH_PARAMS, permission=perms.Anybody())
def push(ctx, params):
    store, remote, remote_store = params["store"], params["remote"], params["remote-store"]
    target_path = "/" + "/".join(["remote", remote, remote_store, *_comps(params.get("remote-ns"))])
    perms.check_privs(ctx, target_path, "Remote.DatastoreBackup")
    if params.get("remove-vanished"):
        perms.check_privs(ctx, target_path, "Remote.DatastorePrune")
    perms.check_privs(ctx, jobs.store_acl_path(store, params.get("ns")),
                      ("Datastore.Read", "Datastore.Backup"), any_of=True)
    _check_depth(params)
    entry = _remote(ctx, remote)
    datastore.lookup_store(ctx, store)
    key_id = params.get("encryption-key")
    if key_id is not None and ctx.state.file("encryption-keys.cfg").get(key_id) is None:
        raise ApiError(400, f"no such key or cannot access key '{key_id}'")
    # on the remote, new groups belong to the remote's own auth id
    args = {"source": store, "target": remote_store, "owner": entry.get("auth-id", "root@pam"),
            "options": _options(params), "direction": "push"}
    return ctx.sim.tasks.spawn("sync", store, ctx.auth_id, effect="sync.copy", args=args)


# -- the worker ------------------------------------------------------------------------------


def _filter_matches(text, group):
    for prefix in ("include:", "exclude:"):
        if text.startswith(prefix):
            text = text[len(prefix):]
    kind, _, value = text.partition(":")
    name = backups.group_name(group)
    if kind == "group":
        return name == value
    if kind == "type":
        return group["backup-type"] == value
    return re.search(value, name) is not None


def apply_filters(group, filters):
    """GroupFilter::apply_filters: any include matches (when there are includes), no
    exclude matches."""
    if not filters:
        return True
    includes = [f for f in filters if not f.startswith("exclude:")]
    excludes = [f for f in filters if f.startswith("exclude:")]
    if includes and not any(_filter_matches(f, group) for f in includes):
        return False
    return not any(_filter_matches(f, group) for f in excludes)


def _source_namespaces(info, anchor, max_depth):
    base = _comps(anchor)
    found = [anchor or ""]
    for name in info.get("namespaces", []):
        parts = _comps(name)
        if parts[: len(base)] == base and len(parts) > len(base):
            if max_depth is None or len(parts) - len(base) <= max_depth:
                found.append(name)
    return sorted(set(found), key=lambda n: len(_comps(n)))


def _map_ns(ns, source_anchor, target_anchor):
    rest = _comps(ns)[len(_comps(source_anchor)):]
    return "/".join(_comps(target_anchor) + rest)


def _ensure_ns(info, ns):
    known = info.setdefault("namespaces", [])
    created = False
    parts = _comps(ns)
    for depth in range(1, len(parts) + 1):
        name = "/".join(parts[:depth])
        if name not in known:
            known.append(name)
            created = True
    return created


def _wanted(snaps, options):
    out = []
    for snap in sorted(snaps, key=lambda x: x["backup-time"]):
        if not snap.get("finished", True):
            continue
        if options.get("verified-only") and (snap.get("verification") or {}).get("state") != "ok":
            continue
        if options.get("encrypted-only") and not snap.get("fingerprint"):
            continue
        out.append(snap)
    return out


def _sync_group(task, src_group, dst_info, dst_ns, owner, options):
    """Copy one group; ``(snapshots copied, removed)``; raises on an owner mismatch."""
    name = backups.group_name(src_group)
    dst_group = backups.find_group(dst_info, dst_ns, src_group["backup-type"],
                                   src_group["backup-id"])
    if dst_group is not None and dst_group.get("owner") != owner:
        task.log(f"sync group {name} failed - owner check failed ({owner} != "
                 f"{dst_group.get('owner')})")
        raise ValueError("owner check failed")
    if dst_group is None:
        dst_group = backups.add_group(dst_info, dst_ns, src_group["backup-type"],
                                      src_group["backup-id"], owner)
    present = backups.snapshots(dst_group)
    last = max((snap["backup-time"] for snap in present), default=None)
    wanted = _wanted(backups.snapshots(src_group), options)
    times = {snap["backup-time"] for snap in wanted}
    skipped_old = [x for x in wanted if last is not None and x["backup-time"] < last]
    todo = [x for x in wanted if x not in skipped_old]
    cutoff = max(0, len(wanted) - options["transfer-last"]) if options.get("transfer-last") else 0
    skipped_last = [x for pos, x in enumerate(wanted)
                    if x in todo and pos < cutoff and x["backup-time"] != last]
    todo = [x for x in todo if x not in skipped_last]
    for skipped, reason in ((skipped_old, "older than the newest snapshot present on sync "
                             "target"), (skipped_last, "due to transfer-last")):
        if skipped:
            task.log(f"{name}: skipped: {len(skipped)} snapshot(s) "
                     f"({backups.time_string(skipped[0]['backup-time'])} .. "
                     f"{backups.time_string(skipped[-1]['backup-time'])}) - {reason}")
    for pos, snap in enumerate(todo, 1):
        prefix = f"{name}/{backups.time_string(snap['backup-time'])}"
        task.log(f"{prefix}: start sync")
        copied = copy.deepcopy(snap)
        copied["protected"] = False
        dst_group["snapshot-list"][:] = [x for x in dst_group["snapshot-list"]
                                         if x["backup-time"] != copied["backup-time"]]
        dst_group["snapshot-list"].append(copied)
        task.log(f"{prefix}: sync done")
        task.log(f"percentage done: {pos}/{len(todo)} snapshots of group {name}")
    removed = 0
    if options.get("remove-vanished"):
        for snap in list(backups.snapshots(dst_group)):
            if snap["backup-time"] in times:
                continue
            dirname = f"{name}/{backups.time_string(snap['backup-time'])}"
            if snap.get("protected"):
                task.log(f"{name}: don't delete vanished snapshot {dirname} (protected)")
                continue
            task.log(f"delete vanished snapshot {dirname}")
            dst_group["snapshot-list"].remove(snap)
            removed += 1
    backups.sync_counts(dst_group)
    return len(todo), removed


@tasks.effect("sync.copy")
def copy_backups(state, task, source, target, owner, options, direction):
    """pull_store / push_store on the simulator's own stores (also run by mount-sync-jobs)."""
    cfg = state.file("datastore.cfg")
    for name in (source, target):
        if cfg.get(name) is None:
            raise ApiError(400, f"datastore '{name}' does not exist")
    src_info = datastore.runtime(state, source)
    dst_info = datastore.runtime(state, target)
    src_anchor, dst_anchor = options.get("remote-ns", ""), options.get("ns", "")
    if direction == "push":
        src_anchor, dst_anchor = dst_anchor, src_anchor
    filters = options.get("group-filter") or []
    errors = False
    done_groups = done_snapshots = 0
    for ns in _source_namespaces(src_info, src_anchor, options.get("max-depth")):
        dst_ns = _map_ns(ns, src_anchor, dst_anchor)
        task.log("----")
        task.log(f"Syncing {_store_ns(source, ns)} into {_store_ns(target, dst_ns)}")
        if _ensure_ns(dst_info, dst_ns):
            task.log(f"Created namespace {dst_ns}")
        in_ns = [g for g in backups.groups(src_info) if g.get("ns", "") == ns]
        chosen = sorted((g for g in in_ns if apply_filters(g, filters)), key=backups.group_name)
        task.log(f"Found {len(chosen)} groups to sync (out of {len(in_ns)} total)")
        for group in chosen:
            try:
                copied, _removed = _sync_group(task, group, dst_info, dst_ns, owner, options)
            except ValueError:
                errors = True
                continue
            done_groups += 1
            done_snapshots += copied
        if options.get("remove-vanished"):
            names = {backups.group_name(g) for g in chosen}
            for local in list(backups.groups(dst_info)):
                if (local.get("ns", "") != dst_ns or backups.group_name(local) in names
                        or local.get("owner") != owner or not apply_filters(local, filters)):
                    continue
                task.log(f"Delete vanished group '{backups.group_name(local)}'")
                kept = [x for x in backups.snapshots(local) if x.get("protected")]
                if kept:
                    local["snapshot-list"][:] = kept
                    backups.sync_counts(local)
                    task.log(f"Kept some protected snapshots of group "
                             f"'{backups.group_name(local)}'")
                else:
                    backups.groups(dst_info).remove(local)
        label = f"namespace {ns}" if ns else "root namespace"
        task.log(f"Finished syncing {label}, current progress: {done_groups} groups, "
                 f"{done_snapshots} snapshots")
    if errors:
        raise ApiError(400, "sync failed with some errors." if direction == "pull"
                       else "Sync failed with some errors!")
    if direction == "pull":
        task.log(f"pull datastore '{target}' end")
