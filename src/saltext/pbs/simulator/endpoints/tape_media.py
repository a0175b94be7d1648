"""Tape media inventory, one-off tape backup and restore (PBS src/api2/tape/media.rs,
backup.rs ``backup``, restore.rs ``restore``).

* ``/tape/media/list``, ``content`` and ``media-sets`` list what the caller has
  ``Tape.Audit`` on ``/tape/pool/{pool}`` for (media without a pool need it on
  ``/tape/pool``); ``move`` and ``status`` (POST) need ``Tape.Modify`` on ``/tape``,
  ``destroy`` (a GET, as in PBS) ``Tape.Write`` on ``/tape``; reading one medium's status
  has no access declaration (root only).
* ``POST /tape/backup`` (``tape-backup`` task, worker id ``store:pool:drive``) writes the
  datastore's snapshots onto the pool's media in the drive's changer, loading the next
  writable medium when one is full (``snapshots-per-tape`` of the library). Snapshots come
  from the datastore's groups (``runtime["datastores"][store]["groups"]``): a group's
  ``times`` (backup times, epoch) or, without them, ``snapshots`` daily times from
  2023-11-14T22:13:20Z.
* ``POST /tape/restore`` (``tape-restore`` task) reads a media set back into datastores;
  the store mapping is ``target`` or ``source=target,...``; restored snapshots are added to
  the target's groups (``times``).
"""

from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema as s
from saltext.pbs.simulator import tape_model as tm
from saltext.pbs.simulator import values
from saltext.pbs.simulator.endpoints.datastore import runtime as store_runtime
from saltext.pbs.simulator.endpoints.tape import KEY_FILE
from saltext.pbs.simulator.endpoints.tape import KEY_SECRETS
from saltext.pbs.simulator.endpoints.tape import _assert_datastore_type
from saltext.pbs.simulator.endpoints.tape_ops import MEDIA_KEYS
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.errors import ParamError
from saltext.pbs.simulator.perms import check_privs
from saltext.pbs.simulator.perms import has_privs
from saltext.pbs.simulator.router import endpoint

UUID = s.string(pattern=values.UUID_RE)
LABEL = s.safe_id(2, 32)
POOL = s.safe_id(2, 32)
FIRST_TIME = 1700000000


def _audit(ctx, pool):
    path = f"/tape/pool/{pool}" if pool else "/tape/pool"
    return has_privs(ctx.state, ctx.auth_id, path, "Tape.Audit")


def _set_name(media_set):
    return f"{media_set['pool']}-{tm.rfc3339(media_set['ctime'])}"


def _status(state, media):
    if media.get("status"):
        return media["status"]
    return "writable"


def _list_entry(state, media_uuid, media):
    label = media["label"]
    item = {"uuid": media_uuid, "label-text": label["label-text"], "ctime": label["ctime"],
            "location": tm.location(state, media), "status": _status(state, media),
            "catalog": True, "expired": False}
    pool = tm.media_pool(media)
    if pool:
        item["pool"] = pool
    media_set = media.get("set")
    if media_set:
        item.update({"media-set-uuid": media_set["uuid"], "media-set-name": _set_name(media_set),
                     "media-set-ctime": media_set["ctime"], "seq-nr": media_set["seq-nr"],
                     "bytes-used": len(media.get("content", [])) * 1_000_000_000})
    return item


@endpoint(
    "GET",
    "/tape/media/list",
    params={"pool": POOL, "update-status": s.boolean(),
            "update-status-changer": s.safe_id(3, 32)},
    permission=perms.Anybody(),
)
def list_media(ctx, params):
    wanted = params.get("pool")
    out = []
    for media_uuid, media in tm.inventory(ctx.state).items():
        pool = tm.media_pool(media)
        if wanted is not None and pool != wanted:
            continue
        if not _audit(ctx, pool):
            continue
        out.append(_list_entry(ctx.state, media_uuid, media))
    return out


@endpoint("GET", "/tape/media/media-sets", params=None, permission=perms.Anybody())
def list_media_sets(ctx, params):
    seen, out = set(), []
    for media in tm.inventory(ctx.state).values():
        media_set = media.get("set")
        if not media_set or media_set["uuid"] in seen or not _audit(ctx, media_set["pool"]):
            continue
        seen.add(media_set["uuid"])
        out.append({"media-set-uuid": media_set["uuid"], "media-set-name": _set_name(media_set),
                    "media-set-ctime": media_set["ctime"], "pool": media_set["pool"]})
    return out


@endpoint(
    "GET",
    "/tape/media/content",
    params={"pool": POOL, "label-text": LABEL, "media": UUID, "media-set": UUID,
            "backup-type": s.enum("vm", "ct", "host"), "backup-id": s.string()},
    permission=perms.Anybody(),
)
def list_content(ctx, params):
    out = []
    for media_uuid, media in tm.inventory(ctx.state).items():
        media_set = media.get("set")
        if not media_set:
            continue
        checks = (("label-text", media["label"]["label-text"]), ("pool", media_set["pool"]),
                  ("media", media_uuid), ("media-set", media_set["uuid"]))
        if any(k in params and params[k] != v for k, v in checks):
            continue
        if not _audit(ctx, media_set["pool"]):
            continue
        for store, snapshot in media.get("content", []):
            parts = snapshot.split("/")
            if "backup-type" in params and parts[-3] != params["backup-type"]:
                continue
            if "backup-id" in params and parts[-2] != params["backup-id"]:
                continue
            out.append({"uuid": media_uuid, "label-text": media["label"]["label-text"],
                        "pool": media_set["pool"], "media-set-name": _set_name(media_set),
                        "media-set-uuid": media_set["uuid"],
                        "media-set-ctime": media_set["ctime"], "seq-nr": media_set["seq-nr"],
                        "snapshot": snapshot, "store": store,
                        "backup-time": tm.parse_rfc3339(parts[-1])})
    return out


def _pick_media(ctx, params):
    media_uuid, label_text = params.get("uuid"), params.get("label-text")
    if media_uuid and label_text:
        raise ParamError({"format-text": "A uuid is given, no label-text is expected."})
    if not media_uuid and not label_text:
        raise ParamError({"uuid": "No label-text is given, a uuid is required."})
    if label_text:
        found, media = tm.media_by_label(ctx.state, label_text)
        if found is None:
            raise ApiError(400, f"no such media '{label_text}'")
        return found, media, label_text
    media = tm.inventory(ctx.state).get(media_uuid)
    if media is None:
        raise ApiError(400, f"no such media '{media_uuid}'")
    return media_uuid, media, media_uuid


@endpoint(
    "POST",
    "/tape/media/move",
    params={"label-text": LABEL, "uuid": UUID, "vault-name": s.safe_id(3, 32)},
    permission=perms.Privilege("/tape", "Tape.Modify"),
)
def move_media(ctx, params):
    _uuid, media, _text = _pick_media(ctx, params)
    media["vault"] = params.get("vault-name")


@endpoint(
    "GET",
    "/tape/media/destroy",
    params={"label-text": LABEL, "uuid": UUID, "force": s.boolean()},
    permission=perms.Privilege("/tape", "Tape.Write"),
)
def destroy_media(ctx, params):
    media_uuid, media, text = _pick_media(ctx, params)
    if media.get("set") and not params.get("force"):
        raise ApiError(400, f"media '{text}' contains data (please use 'force' flag to remove.")
    del tm.inventory(ctx.state)[media_uuid]


@endpoint("GET", "/tape/media/list/{uuid}/status", params={"uuid": UUID.req()},
          permission=perms.Superuser())
def get_media_status(ctx, params):
    media = tm.inventory(ctx.state).get(params["uuid"])
    return "unknown" if media is None else _status(ctx.state, media)


@endpoint(
    "POST",
    "/tape/media/list/{uuid}/status",
    params={"uuid": UUID.req(),
            "status": s.enum("writable", "full", "unknown", "damaged", "retired")},
    permission=perms.Privilege("/tape", "Tape.Modify"),
)
def set_media_status(ctx, params):
    status = params.get("status")
    if status in ("writable", "unknown"):
        raise ApiError(400, f"setting media status '{status.capitalize()}' is not allowed")
    media = tm.inventory(ctx.state).get(params["uuid"])
    if media is None:
        raise ApiError(400, f"no such media '{params['uuid']}'")
    media["status"] = status


# -- backup ---------------------------------------------------------------------------------


def snapshots(state, store):
    """``[snapshot path]`` of a datastore, oldest first per group."""
    out = []
    for group in store_runtime(state, store).get("groups", []):
        times = group.get("times") or [FIRST_TIME + i * 86400
                                       for i in range(int(group.get("snapshots", 0)))]
        prefix = "".join(f"ns/{c}/" for c in group.get("ns", "").split("/") if c)
        for when in sorted(times):
            out.append(f"{prefix}{group['backup-type']}/{group['backup-id']}/{tm.rfc3339(when)}")
    return out


def _writable_media(state, pool, changer, current_set):
    """Online media for a pool: the open set's last medium, then pool media, then free."""
    online = tm.online_barcodes(state, changer)
    ranked = []
    for media_uuid, media in tm.inventory(state).items():
        label_text = media["label"]["label-text"]
        if label_text not in online or media.get("status") in ("full", "damaged", "retired"):
            continue
        media_set = media.get("set")
        if media_set is None and media["label"].get("pool") in (pool, None):
            rank = 1 if media["label"].get("pool") == pool else 2
        elif media_set and media_set["uuid"] == current_set:
            rank = 0
        else:
            continue
        ranked.append((rank, label_text, media_uuid))
    return [(label_text, media_uuid) for _rank, label_text, media_uuid in sorted(ranked)]


def _backup(state, task, store, pool, drive, export_set, eject, force_set, now):
    changer, _num = tm.drive_changer(state, drive)
    pool_cfg = state.file("media-pool.cfg").get(pool) or {}
    pools = tm.library(state)["pools"].setdefault(pool, {"current-set": None})
    task.log("update media online status")
    current = None if force_set or pool_cfg.get("allocation") == "always" else pools[
        "current-set"]
    media_list = _writable_media(state, pool, changer, current)
    if not media_list:
        raise ApiError(400, f"no usable media found in pool '{pool}' (please label some media)")
    set_members = [m for m in tm.inventory(state).values()
                   if current and (m.get("set") or {}).get("uuid") == current]
    if not current or not set_members:
        fingerprint = pool_cfg.get("encrypt")
        current = tm.new_uuid()
        new_set = {"uuid": current, "pool": pool, "ctime": int(now), "seq-nr": 0}
        if fingerprint:
            new_set["encryption-key-fingerprint"] = fingerprint
            saved = state.secret_store(KEY_SECRETS).get(fingerprint)
            info = state.file(KEY_FILE).get(fingerprint)
            if saved and info:
                state.secret_store(MEDIA_KEYS)[fingerprint] = {
                    "password": saved["password"],
                    "info": {k: v for k, v in info.items() if k != "type"},
                }
        set_members = []
        pools["current-set"] = current
        task.log(f"media set uuid: {current}")
    else:
        new_set = dict(set_members[0]["set"])
    per_tape = int(tm.library(state).get("snapshots-per-tape", 1000))
    todo = [(store, snap) for snap in snapshots(state, store)]
    task.log(f"found {len(todo)} snapshots")
    used = []
    while True:
        if not media_list:
            raise ApiError(400, "no usable media left (please label some media)")
        label_text, media_uuid = media_list.pop(0)
        media = tm.inventory(state)[media_uuid]
        tm.load_media(state, drive, label_text)
        tm.check_writable(state, drive, label_text)
        cartridge = tm.tape(state, label_text)
        if media.get("set") is None:
            seq = max([m["set"]["seq-nr"] for m in set_members] + [-1]) + 1
            media["set"] = dict(new_set, **{"seq-nr": seq})
            cartridge["set"] = media["set"]
            set_members.append(media)
            task.log(f"writing new media set label (seq_nr = {seq}) on '{label_text}'")
        used.append(label_text)
        while todo and len(cartridge["content"]) < per_tape:
            entry = todo.pop(0)
            task.log(f"backup snapshot \"{entry[1]}\"")
            cartridge["content"].append(list(entry))
        media["content"] = [list(x) for x in cartridge["content"]]
        if not todo:
            break
        media["status"] = "full"
        task.log(f"media '{label_text}' is full, loading next media")
        tm.unload(state, drive)
    task.log("append media catalog")
    if export_set:
        pools["current-set"] = None
        for member in sorted(set_members, key=lambda m: m["set"]["seq-nr"]):
            label_text = member["label"]["label-text"]
            try:
                slot = tm.export_media(state, drive, label_text)
            except ApiError as exc:
                # the set stays as written; the medium stays in the library
                task.log(f"could not export media '{label_text}': {exc.message}")
                continue
            if slot is not None:
                task.log(f"exported media '{label_text}' to slot {slot}")
        if tm.loaded(state, drive):
            tm.unload(state, drive)
    elif eject:
        tm.unload(state, drive)


@endpoint(
    "POST",
    "/tape/backup",
    params={
        "store": s.safe_id(3, 32).req(), "pool": POOL.req(), "drive": s.safe_id(3, 32).req(),
        "eject-media": s.boolean(), "export-media-set": s.boolean(), "latest-only": s.boolean(),
        "force-media-set": s.boolean(), "notify-user": s.USERID,
        "notification-mode": s.enum("legacy-sendmail", "notification-system"),
        "group-filter": s.array(s.string()), "ns": s.NAMESPACE,
        "max-depth": s.integer(minimum=0, maximum=7),
        "worker-threads": s.integer(minimum=1, maximum=32),
    },
    permission=perms.Anybody(),
)
def backup(ctx, params):
    store, pool, drive = params["store"], params["pool"], params["drive"]
    check_privs(ctx, f"/datastore/{store}", "Datastore.Read")
    check_privs(ctx, f"/tape/drive/{drive}", "Tape.Write")
    check_privs(ctx, f"/tape/pool/{pool}", "Tape.Write")
    _assert_datastore_type(ctx, store)
    if ctx.state.file("media-pool.cfg").get(pool) is None:
        raise ApiError(400, f"no such pool '{pool}'")
    tm.drive_entry(ctx.state, drive)
    state, now = ctx.state, ctx.sim.clock.now()
    worker_id = f"{store}:{pool}:{drive}"
    args = (store, pool, drive, params.get("export-media-set", False),
            params.get("eject-media", False), params.get("force-media-set", False), now)
    return ctx.sim.tasks.spawn(
        "tape-backup", worker_id, ctx.auth_id, log=[f"Starting tape backup job '{worker_id}'"],
        on_success=lambda task: _backup(state, task, *args),
    )


# -- restore --------------------------------------------------------------------------------


def _store_map(text):
    mapping, default = {}, None
    for part in text.split(","):
        if "=" in part:
            source, target = part.split("=", 1)
            mapping[source.strip()] = target.strip()
        elif part.strip():
            if default is not None:
                raise ApiError(400, "cannot parse store mapping: multiple default stores given")
            default = part.strip()
    return mapping, default


def _restore(state, task, media_set, drive, targets, wanted, ns_maps):
    members = sorted(
        (m for m in tm.inventory(state).values()
         if (m.get("set") or {}).get("uuid") == media_set),
        key=lambda m: m["set"]["seq-nr"],
    )
    pool = members[0]["set"]["pool"]
    task.log(f"Mediaset '{media_set}'")
    task.log(f"Pool: {pool}")
    task.log(f"Drive: {drive}")
    for seq, member in enumerate(members):
        if member["set"]["seq-nr"] != seq:
            raise ApiError(400, f"media set {media_set} is incomplete (missing member {seq}).")
    task.log("Required media list: " + ";".join(m["label"]["label-text"] for m in members))
    mapping, default = targets
    for member in members:
        label_text = member["label"]["label-text"]
        tm.load_media(state, drive, label_text)
        for store, snapshot in tm.tape(state, label_text)["content"]:
            if wanted is not None and f"{store}:{snapshot}" not in wanted:
                continue
            target = mapping.get(store, default)
            if target is None:
                task.log(f"skip snapshot {store}:{snapshot} (no target datastore)")
                continue
            _restore_snapshot(state, task, store, target, snapshot, ns_maps)
    task.log(f"Restore mediaset '{media_set}' done")


def _restore_snapshot(state, task, source, target, snapshot, ns_maps):
    parts = snapshot.split("/")
    ns = "/".join(parts[1:-3:2])
    for source_store, source_ns, target_ns in ns_maps:
        if source_store == source and (ns == source_ns or ns.startswith(source_ns + "/")
                                       or not source_ns):
            ns = "/".join(c for c in (target_ns, ns[len(source_ns):].strip("/")) if c)
    btype, bid, when = parts[-3], parts[-2], tm.parse_rfc3339(parts[-1])
    groups = store_runtime(state, target).setdefault("groups", [])
    group = next((g for g in groups if g.get("ns", "") == ns and g["backup-type"] == btype
                  and g["backup-id"] == bid), None)
    if group is None:
        group = {"ns": ns, "backup-type": btype, "backup-id": bid, "snapshots": 0, "times": []}
        groups.append(group)
    times = group.setdefault(
        "times", [FIRST_TIME + i * 86400 for i in range(int(group.get("snapshots", 0)))]
    )
    if when in times:
        task.log(f"skip snapshot {target}:{snapshot} (already exists)")
        return
    times.append(when)
    group["snapshots"] = len(times)
    task.log(f"Restore snapshot '{snapshot}' done")


@endpoint(
    "POST",
    "/tape/restore",
    params={
        "store": s.string().req(), "drive": s.safe_id(3, 32).req(), "media-set": UUID.req(),
        "namespaces": s.array(s.string()), "snapshots": s.array(s.string()),
        "notify-user": s.USERID, "owner": s.AUTHID,
        "notification-mode": s.enum("legacy-sendmail", "notification-system"),
    },
    permission=perms.Anybody(),
)
def restore(ctx, params):
    mapping, default = _store_map(params["store"])
    used = sorted(set(mapping.values()) | ({default} if default else set()))
    if not used:
        raise ApiError(400, "no datastores given")
    for target in used:
        _assert_datastore_type(ctx, target)
    for target in used:
        if not has_privs(ctx.state, ctx.auth_id, f"/datastore/{target}", "Datastore.Backup"):
            raise ApiError(400, f"no permissions on /datastore/{target}")
    ns_maps = []
    for text in params.get("namespaces", []):
        fields = dict(p.split("=", 1) for p in text.split(",") if "=" in p)
        if "store" not in fields:
            raise ApiError(400, "cannot parse namespace mapping: missing 'store'")
        ns_maps.append((fields["store"], fields.get("source", ""), fields.get("target", "")))
    drive = params["drive"]
    check_privs(ctx, f"/tape/drive/{drive}", "Tape.Read")
    media_set = params["media-set"]
    pools = {m["set"]["pool"] for m in tm.inventory(ctx.state).values()
             if (m.get("set") or {}).get("uuid") == media_set}
    if not pools:
        raise ApiError(400, f"unable to find media set {media_set}")
    check_privs(ctx, f"/tape/pool/{pools.pop()}", "Tape.Read")
    tm.drive_entry(ctx.state, drive)
    state = ctx.state
    wanted = set(params["snapshots"]) if "snapshots" in params else None
    return ctx.sim.tasks.spawn(
        "tape-restore", ", ".join(used), ctx.auth_id,
        on_success=lambda task: _restore(state, task, media_set, drive, (mapping, default),
                                         wanted, ns_maps),
    )
