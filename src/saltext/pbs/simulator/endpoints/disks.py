"""Local disks, directory mounts and ZFS pools of the node.

PBS src/api2/node/disks/{mod,directory,zfs}.rs; src/tools/disks/ (usage types, SMART).

* ``state.runtime["disks"]``: the node's block devices by name, created on first use: the
  system disk ``sda`` (EFI, BIOS boot and LVM partitions, mounted) and five empty disks
  ``sdb`` ... ``sde`` (HDDs) and ``nvme0n1`` (an SSD). A disk's ``used`` is computed as
  PBS's scan_partitions does: a mounted partition makes it ``mounted``, a ZFS member
  ``zfs``, any other partition ``partitions``, none ``unused``.
* ``state.runtime["disk-mounts"]``: the datastore mount units ``POST disks/directory``
  wrote (``mnt-datastore-<name>.mount``); ``state.runtime["zpools"]``: the pools of
  ``POST disks/zfs``. Creating either is a task (``dircreate`` / ``zfscreate``) that
  partitions the disks, so their usage changes when the task ends; with
  ``add-datastore`` the task also writes the datastore config entry (as PBS's
  do_create_datastore does).
* Fault switch (a disk in use behind Salt's back, e.g. mounted by hand):
  ``state.runtime["disks-in-use"] = {"sdc": "mounted"}`` overrides the usage PBS reports.
* ``wipedisk`` removes a disk's partitions; on a disk that is mounted or in a pool the
  task fails as wipefs does on a busy device.
"""

import copy
import re
import uuid as uuidlib

from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema as s
from saltext.pbs.simulator import tasks
from saltext.pbs.simulator.endpoints import datastore
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.router import endpoint

NODE = {"node": s.NODE.req()}
AUDIT = perms.Privilege("/system/disks", "Sys.Audit")
MODIFY = perms.Privilege("/system/disks", "Sys.Modify")
MOUNT_DIR = "/mnt/datastore"

# proxmox-schema api_types.rs, as PBS has them: the anchors bind to one alternative each
# (quirk), so "sdb1" passes as a disk name and fails later, in the handler
DISK_NAME = s.string(pattern=r"^(?:(?:h|s|x?v)d[a-z]+)|(?:nvme\d+n\d+)$", min_length=3,
                     max_length=64)
DISK_OR_PARTITION = s.string(pattern=r"^(?:(?:h|s|x?v)d[a-z]+\d*)|(?:nvme\d+n\d+(p\d+)?)$",
                             min_length=3, max_length=64)
USAGE_TYPES = ("unused", "mounted", "lvm", "zfs", "devicemapper", "partitions", "filesystem")
FILESYSTEMS = ("ext4", "xfs")
RAIDLEVELS = ("single", "mirror", "raid10", "raidz", "raidz2", "raidz3")
MIN_DISKS = {"single": 1, "mirror": 2, "raid10": 4, "raidz": 3, "raidz2": 4, "raidz3": 5}
RAID_NAMES = {"single": "Single", "mirror": "Mirror", "raid10": "Raid10", "raidz": "RaidZ",
              "raidz2": "RaidZ2", "raidz3": "RaidZ3"}
COMPRESSION = ("gzip", "lz4", "lzjb", "zle", "zstd", "on", "off")
ZPOOL_NAME = s.string(pattern=r"^[a-zA-Z][a-z0-9A-Z\-_.:]+$")
TB = 1000**4


def _disk(name, size, disk_type, model, serial, rpm=None, wearout=None):
    return {"name": name, "size": size, "disk-type": disk_type, "vendor": "ATA",
            "model": model, "serial": serial, "wwn": "0x5000c500" + serial.encode().hex()[-8:],
            "rpm": rpm, "wearout": wearout, "status": "passed", "gpt": False,
            "partitions": []}


def _part(name, used, size, mounted=False, filesystem=None):
    return {"name": name, "used": used, "mounted": mounted, "filesystem": filesystem,
            "size": size, "gpt": True, "uuid": str(uuidlib.uuid4())}


def _default_disks():
    system = _disk("sda", 480 * 1000**3, "ssd", "Samsung SSD 870", "S6PNNS0T100001",
                   wearout=98.0)
    system["gpt"] = True
    system["partitions"] = [
        _part("sda1", "bios", 1031168),
        _part("sda2", "efi", 1073741824, mounted=True, filesystem="vfat"),
        _part("sda3", "lvm", 478 * 1000**3),
    ]
    disks = [system]
    for index, letter in enumerate("bcde"):
        disks.append(_disk(f"sd{letter}", 4 * TB, "hdd", "ST4000NM000A",
                           f"WJG0{index}A7K", rpm=7200))
    disks.append(_disk("nvme0n1", 2 * TB, "ssd", "Micron 7450", "22293A5F0001", wearout=100.0))
    return {d["name"]: d for d in disks}


def disks(state):
    return state.runtime.setdefault("disks", _default_disks())


def _mounts(state):
    return state.runtime.setdefault("disk-mounts", {})


def _pools(state):
    return state.runtime.setdefault("zpools", {})


def usage(state, disk):
    """What PBS reports a disk is used for (scan_partitions' order of precedence)."""
    override = state.runtime.get("disks-in-use", {}).get(disk["name"])
    if override:
        return override
    parts = disk["partitions"]
    if any(p["mounted"] for p in parts):
        return "mounted"
    if any(p["used"] == "lvm" for p in parts):
        return "lvm"
    if any(p["used"] == "zfs" for p in parts):
        return "zfs"
    return "partitions" if parts else "unused"


def _info(state, disk, include_partitions):
    out = {"name": disk["name"], "used": usage(state, disk), "disk-type": disk["disk-type"],
           "status": disk["status"], "size": disk["size"], "gpt": disk["gpt"],
           "devpath": f"/dev/{disk['name']}"}
    for key in ("wearout", "vendor", "model", "wwn", "serial", "rpm"):
        if disk.get(key) is not None:
            out[key] = disk[key]
    if include_partitions:
        out["partitions"] = [
            {key: value for key, value in {**p, "devpath": f"/dev/{p['name']}"}.items()
             if value is not None}
            for p in disk["partitions"]
        ]
    return out


@endpoint(
    "GET",
    "/nodes/{node}/disks/list",
    params={**NODE, "skipsmart": s.boolean(), "include-partitions": s.boolean(),
            "usage-type": s.enum(*USAGE_TYPES)},
    permission=AUDIT,
)
def list_disks(ctx, params):
    wanted = params.get("usage-type")
    out = [_info(ctx.state, d, params.get("include-partitions", False))
           for d in disks(ctx.state).values()]
    if params.get("skipsmart"):
        for item in out:
            item["status"] = "unknown"
            item.pop("wearout", None)
    return sorted((i for i in out if wanted in (None, i["used"])), key=lambda i: i["name"])


def _no_dev_node(name):
    # DiskManage::disk_by_name on a name /sys/block does not have: the io error
    return ApiError(400, "No such file or directory (os error 2)")


@endpoint(
    "GET",
    "/nodes/{node}/disks/smart",
    params={**NODE, "disk": DISK_NAME.req(), "healthonly": s.boolean()},
    permission=AUDIT,
)
def smart_status(ctx, params):
    disk = disks(ctx.state).get(params["disk"])
    if disk is None:
        raise _no_dev_node(params["disk"])
    out = {"status": disk["status"], "attributes": []}
    if params.get("healthonly"):
        return out
    if disk.get("wearout") is not None:
        out["wearout"] = disk["wearout"]
    hours = "12345"
    out["attributes"] = [
        {"name": "Reallocated_Sector_Ct", "value": "0", "raw": "0", "id": 5,
         "flags": "PO--CK", "normalized": 100.0, "worst": 100.0, "threshold": 10.0},
        {"name": "Power_On_Hours", "value": hours, "raw": hours, "id": 9,
         "flags": "-O--CK", "normalized": 98.0, "worst": 98.0, "threshold": 0.0},
    ]
    return out


def _find_unused(ctx, name):
    disk = disks(ctx.state).get(name)
    if disk is None:
        # DiskUsageQuery::find on a disk it did not see
        raise ApiError(400, "failed to get disk usage info - internal error")
    if usage(ctx.state, disk) != "unused":
        raise ApiError(400, f"disk '{name}' is already in use.")
    return disk


@endpoint(
    "POST",
    "/nodes/{node}/disks/initgpt",
    params={**NODE, "disk": DISK_NAME.req(), "uuid": s.string(max_length=36)},
    permission=MODIFY,
)
def initialize_disk(ctx, params):
    name = params["disk"]
    _find_unused(ctx, name)
    return ctx.sim.tasks.spawn("diskinit", name, ctx.auth_id,
                               log=[f"initialize disk {name}"], effect="disks.initgpt",
                               args={"disk": name})


@tasks.effect("disks.initgpt")
def _initgpt_effect(state, task, disk):  # pylint: disable=unused-argument
    disks(state)[disk]["gpt"] = True


def _by_partition(state, name):
    for disk in disks(state).values():
        if disk["name"] == name:
            return disk, None
        for part in disk["partitions"]:
            if part["name"] == name:
                return disk, part
    return None, None


@endpoint(
    "PUT",
    "/nodes/{node}/disks/wipedisk",
    params={**NODE, "disk": DISK_OR_PARTITION.req()},
    permission=MODIFY,
)
def wipe_disk(ctx, params):
    # PBS starts the worker without any check; the worker finds the device (or not)
    name = params["disk"]
    return ctx.sim.tasks.spawn("wipedisk", name, ctx.auth_id, log=[f"wipe disk {name}"],
                               effect="disks.wipe", args={"disk": name})


@tasks.effect("disks.wipe")
def _wipe_effect(state, task, disk):
    owner, part = _by_partition(state, disk)
    if owner is None:
        raise ApiError(400, "No such file or directory (os error 2)")
    targets = [part] if part else list(owner["partitions"])
    busy = [p for p in targets if p["mounted"] or p["used"] == "zfs"]
    if busy or (part is None and usage(state, owner) not in ("unused", "partitions")):
        dev = f"/dev/{busy[0]['name']}" if busy else f"/dev/{owner['name']}"
        raise ApiError(400, f"command \"wipefs\" \"--all\" failed - status code: 1 - wipefs:"
                            f" error: {dev}: probing initialization failed: Device or"
                            " resource busy")
    task.log(f"Wiping block device /dev/{disk}")
    if part is None:
        owner["partitions"] = []
        owner["gpt"] = False
    else:
        part.update(used="unused", filesystem=None)


# -- directories -------------------------------------------------------------------------


def _unit_name(path):
    return tasks.systemd_escape(path.lstrip("/")) + ".mount"


@endpoint("GET", "/nodes/{node}/disks/directory", params=NODE, permission=AUDIT)
def list_datastore_mounts(ctx, params):
    out = [dict(m) for m in _mounts(ctx.state).values()]
    for name, entry in ctx.state.file("datastore.cfg").items("datastore"):
        if entry.get("backing-device"):
            out.append({"unitfile": "datastore config", "name": name,
                        "device": f"/dev/disk/by-uuid/{entry['backing-device']}",
                        "path": f"{MOUNT_DIR}/{name}", "removable": True})
    return out


def _path_taken(state, name):
    path = f"{MOUNT_DIR}/{name}"
    if name in _mounts(state) or name in _pools(state):
        return f"path \"{path}\" already exists and is mountpoint"
    for _, entry in state.file("datastore.cfg").items("datastore"):
        if entry.get("path") == path:
            return f"path \"{path}\" already exists and is not empty"
    return None


@endpoint(
    "POST",
    "/nodes/{node}/disks/directory",
    params={**NODE, "name": s.safe_id(3, 32).req(), "disk": DISK_NAME.req(),
            "add-datastore": s.boolean(), "removable-datastore": s.boolean(),
            "filesystem": s.enum(*FILESYSTEMS)},
    permission=MODIFY,
)
def create_datastore_disk(ctx, params):
    name, disk = params["name"], params["disk"]
    _find_unused(ctx, disk)
    taken = _path_taken(ctx.state, name)
    if taken:
        raise ApiError(400, taken)
    unit = f"/etc/systemd/system/{_unit_name(f'{MOUNT_DIR}/{name}')}"
    if name in _mounts(ctx.state):
        raise ApiError(400, f"systemd mount unit '{unit}' already exists")
    return ctx.sim.tasks.spawn(
        "dircreate", name, ctx.auth_id, log=[f"create datastore '{name}' on disk {disk}"],
        effect="disks.dircreate",
        args={"name": name, "disk": disk, "filesystem": params.get("filesystem", "ext4"),
              "add": params.get("add-datastore", False),
              "removable": params.get("removable-datastore", False)},
    )


@tasks.effect("disks.dircreate")
def _dircreate_effect(state, task, name, disk, filesystem, add, removable):
    record = disks(state)[disk]
    part = _part(f"{disk}p1" if disk.startswith("nvme") else f"{disk}1", "filesystem",
                 record["size"] - 2 * 1024**2, mounted=not removable, filesystem=filesystem)
    if add and state.file("datastore.cfg").get(name) is not None:
        # PBS's worker has partitioned the disk by then: the partition stays
        record.update(gpt=True, partitions=[part])
        raise ApiError(400, f"datastore '{name}' already exists.")
    record.update(gpt=True, partitions=[part])
    path = f"{MOUNT_DIR}/{name}"
    if not removable:
        _mounts(state)[name] = {
            "unitfile": f"/etc/systemd/system/{_unit_name(path)}", "name": name,
            "path": path, "device": f"/dev/disk/by-uuid/{part['uuid']}",
            "removable": False, "filesystem": filesystem, "options": "defaults"}
    if add:
        data = ({"path": name, "backing-device": part["uuid"]} if removable
                else {"path": path})
        datastore._create_effect(state, task, name, data, None)  # pylint: disable=protected-access


@endpoint(
    "DELETE",
    "/nodes/{node}/disks/directory/{name}",
    params={**NODE, "name": s.safe_id(3, 32).req()},
    permission=MODIFY,
)
def delete_datastore_disk(ctx, params):
    name = params["name"]
    path = f"{MOUNT_DIR}/{name}"
    for store, entry in ctx.state.file("datastore.cfg").items("datastore"):
        absolute = path if entry.get("backing-device") else entry.get("path")
        if absolute == path:
            raise ApiError(400, f"Can't remove '{path}' since it's required by datastore"
                                f" '{store}'")
    mount = _mounts(ctx.state).pop(name, None)
    if mount is None:
        # disable_unit on a unit systemd does not know
        raise ApiError(400, f"command \"systemctl\" \"disable\" \"{_unit_name(path)}\""
                            f" failed - status code: 1 - Failed to disable unit: Unit file"
                            f" {_unit_name(path)} does not exist.")
    # unmounted; the partition and its file system stay on the disk
    for disk in disks(ctx.state).values():
        for part in disk["partitions"]:
            if mount["device"].endswith(part["uuid"]):
                part["mounted"] = False
    return None


# -- ZFS ---------------------------------------------------------------------------------


def _pool_usage(pool, disk_size):
    size = disk_size * {"single": 1, "mirror": 1}.get(pool["raidlevel"], 0)
    count = len(pool["devices"])
    if pool["raidlevel"] == "raid10":
        size = disk_size * count // 2
    elif pool["raidlevel"].startswith("raidz"):
        parity = int(pool["raidlevel"][5:] or 1)
        size = disk_size * (count - parity)
    alloc = pool.get("alloc", 1024**2)
    return {"size": size, "alloc": alloc, "free": size - alloc, "frag": 0, "dedup": 1.0}


@endpoint("GET", "/nodes/{node}/disks/zfs", params=NODE, permission=AUDIT)
def list_zpools(ctx, params):
    out = []
    for name, pool in _pools(ctx.state).items():
        size = min(disks(ctx.state)[d]["size"] for d in pool["devices"])
        out.append({"name": name, "health": "ONLINE", **_pool_usage(pool, size)})
    return out


def _vdev(name, level, children=None):
    node = {"name": name, "lvl": level, "state": "ONLINE", "read": 0, "write": 0,
            "cksum": 0, "leaf": children is None}
    if children is not None:
        node["children"] = children
    return node


@endpoint(
    "GET",
    "/nodes/{node}/disks/zfs/{name}",
    params={**NODE, "name": ZPOOL_NAME.req()},
    permission=AUDIT,
)
def zpool_details(ctx, params):
    name = params["name"]
    pool = _pools(ctx.state).get(name)
    if pool is None:
        raise ApiError(400, f"command \"zpool\" \"status\" \"-p\" \"-P\" \"{name}\" failed -"
                            f" status code: 1 - cannot open '{name}': no such pool")
    level, devices = pool["raidlevel"], pool["devices"]
    if level == "single":
        vdevs = [_vdev(devices[0], 1)]
    elif level == "raid10":
        vdevs = [_vdev(f"mirror-{i}", 1, [_vdev(d, 2) for d in devices[2 * i:2 * i + 2]])
                 for i in range(len(devices) // 2)]
    else:
        group = "mirror-0" if level == "mirror" else f"raidz{level[5:] or 1}-0"
        vdevs = [_vdev(group, 1, [_vdev(d, 2) for d in devices])]
    return {"name": name, "state": "ONLINE", "scan": "none requested",
            "errors": "No known data errors", "leaf": False,
            "children": [_vdev(name, 0, vdevs)]}


def _device_list(text):
    devices = [d for d in re.split(r"[,;\s]+", text) if d]
    bad = [d for d in devices if not DISK_NAME.pattern.search(d)]
    if bad or not devices:
        raise ApiError(400, "parameter verification failed:\n- 'devices': value does not"
                            " match the regex pattern")
    return devices


@endpoint(
    "POST",
    "/nodes/{node}/disks/zfs",
    params={**NODE, "name": s.safe_id(3, 32).req(), "devices": s.string().req(),
            "raidlevel": s.enum(*RAIDLEVELS).req(),
            "ashift": s.integer(minimum=9, maximum=16), "compression": s.enum(*COMPRESSION),
            "add-datastore": s.boolean()},
    permission=MODIFY,
)
def create_zpool(ctx, params):
    name, level = params["name"], params["raidlevel"]
    devices = _device_list(params["devices"])
    known = disks(ctx.state)
    for disk in devices:
        if disk not in known:
            raise ApiError(400, f"no such disk '{disk}'")
        if usage(ctx.state, known[disk]) != "unused":
            raise ApiError(400, f"disk '{disk}' is already in use.")
    if level == "raid10" and len(devices) % 2:
        raise ApiError(400, "Raid10 needs an even number of disks.")
    if level == "single" and len(devices) > 1:
        raise ApiError(400, "Please give only one disk for single disk mode.")
    if len(devices) < MIN_DISKS[level]:
        raise ApiError(400, f"{RAID_NAMES[level]} needs at least {MIN_DISKS[level]} disks.")
    if _path_taken(ctx.state, name):
        raise ApiError(400, f"path \"{MOUNT_DIR}/{name}\" already exists")
    return ctx.sim.tasks.spawn(
        "zfscreate", name, ctx.auth_id,
        log=[f"create {RAID_NAMES[level]} zpool '{name}' on devices '{params['devices']}'"],
        effect="disks.zfscreate",
        args={"name": name, "devices": devices, "raidlevel": level,
              "ashift": params.get("ashift", 12), "compression": params.get("compression"),
              "add": params.get("add-datastore", False)},
    )


@tasks.effect("disks.zfscreate")
def _zfscreate_effect(state, task, name, devices, raidlevel, ashift, compression, add):
    for disk in devices:
        record = disks(state)[disk]
        first = f"{disk}p" if disk.startswith("nvme") else disk
        record.update(gpt=True, partitions=[
            _part(f"{first}1", "zfs", record["size"] - 8 * 1024**2),
            _part(f"{first}9", "zfsreserved", 8 * 1024**2)])
    _pools(state)[name] = copy.deepcopy(
        {"raidlevel": raidlevel, "devices": devices, "ashift": ashift,
         "compression": compression})
    if add:
        if state.file("datastore.cfg").get(name) is not None:
            raise ApiError(400, f"datastore '{name}' already exists.")
        datastore._create_effect(  # pylint: disable=protected-access
            state, task, name, {"path": f"{MOUNT_DIR}/{name}"}, None)
