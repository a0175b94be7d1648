"""
Facts about the node's disks, datastore directories and ZFS pools (PBS
src/api2/node/disks/{mod,directory,zfs}.rs, src/tools/disks/; schemas from pbs-api-types
and proxmox-schema api_types.rs), used to refuse bad input before any request.

Disks are not config objects: they have no digest and no update; a directory or pool is
created once, on disks PBS reports as unused, and never changed through the API. So this
file holds names, patterns and checks only.
"""

import re

from salt.exceptions import SaltInvocationError

from saltext.pbs.utils.catalog import SAFE_ID_RE

# BLOCKDEVICE_NAME_REGEX (whole disks) and BLOCKDEVICE_DISK_AND_PARTITION_NAME_REGEX; PBS
# anchors each alternative separately, we require the whole name to match
DISK_NAME_RE = re.compile(r"(?:(?:h|s|x?v)d[a-z]+|nvme\d+n\d+)")
PARTITION_NAME_RE = re.compile(r"(?:(?:h|s|x?v)d[a-z]+\d*|nvme\d+n\d+(?:p\d+)?)")
# DiskUsageType (what a disk is used for)
USAGE_TYPES = ("unused", "mounted", "lvm", "zfs", "devicemapper", "partitions", "filesystem")
FILESYSTEMS = ("ext4", "xfs")
RAIDLEVELS = ("single", "mirror", "raid10", "raidz", "raidz2", "raidz3")
# zfs.rs create_zpool: the fewest disks each level takes
MIN_DISKS = {"single": 1, "mirror": 2, "raid10": 4, "raidz": 3, "raidz2": 4, "raidz3": 5}
COMPRESSION = ("gzip", "lz4", "lzjb", "zle", "zstd", "on", "off")
ASHIFT_RANGE = (9, 16)
MOUNT_DIR = "/mnt/datastore"

PRIVILEGES = {
    "audit": "``Sys.Audit`` on ``/system/disks``",
    "modify": "``Sys.Modify`` on ``/system/disks``",
}


def _invalid(field, reason):
    return SaltInvocationError(f"Invalid value for '{field}': {reason}")


def check_disk(name, field="disk", partitions=False):
    """A block device name as PBS accepts it (``sdb``, ``nvme0n1``; with ``partitions``
    also ``sdb1``, ``nvme0n1p1``)."""
    pattern = PARTITION_NAME_RE if partitions else DISK_NAME_RE
    if name is None or name == "":
        raise _invalid(field, "a disk must be named explicitly (for example 'sdb')")
    if not isinstance(name, str):
        raise _invalid(field, f"expected one disk name such as 'sdb', not a {type(name).__name__}")
    if name.startswith("/dev/"):
        raise _invalid(field, f"give the name without /dev/ ({name[5:]!r}, not {name!r})")
    if not 3 <= len(name) <= 64 or not pattern.fullmatch(name):
        kind = "block device or partition" if partitions else "disk"
        raise _invalid(field, f"{name!r} is not a {kind} name PBS accepts (sdb, nvme0n1 ...)")
    return name


def check_name(name, field="name", zpool=False):
    """A datastore name (DATASTORE_SCHEMA): the directory or pool is mounted as
    ``/mnt/datastore/<name>``; a pool's name is also a ZFS pool name (ZPOOL_NAME_REGEX:
    it starts with a letter)."""
    if not isinstance(name, str) or not 3 <= len(name) <= 32 or not re.fullmatch(
        SAFE_ID_RE, name
    ):
        raise _invalid(field, f"{name!r} is not a datastore name (3 to 32 of A-Z a-z 0-9 _ . -,"
                              " not starting with . or -)")
    if zpool and not re.fullmatch(r"[a-zA-Z][a-z0-9A-Z\-_.:]+", name):
        raise _invalid(field, f"{name!r} is not a ZFS pool name (it starts with a letter)")
    return name


def check_choice(value, choices, field):
    if value is None:
        raise _invalid(field, f"required, one of {', '.join(choices)}")
    if value not in choices:
        raise _invalid(field, f"{value!r} is not one of {', '.join(choices)}")
    return value


def check_usage_type(value, field="usage_type"):
    return None if value is None else check_choice(value, USAGE_TYPES, field)


def check_filesystem(value, field="filesystem"):
    return None if value is None else check_choice(value, FILESYSTEMS, field)


def check_devices(devices, raidlevel, field="devices"):
    """The disk list of a pool (a list, or a comma-separated string) checked against the
    RAID level as PBS does (count, even for raid10); returns the list."""
    if isinstance(devices, str):
        devices = [d.strip() for d in devices.split(",") if d.strip()]
    if not isinstance(devices, (list, tuple)) or not devices:  # None too: never a default
        raise _invalid(field, "name the disks of the pool explicitly (a list such as [sdb, sdc])")
    for disk in devices:
        check_disk(disk, field)
    dupes = sorted({d for d in devices if list(devices).count(d) > 1})
    if dupes:
        raise _invalid(field, f"disk {dupes[0]!r} is named twice")
    check_choice(raidlevel, RAIDLEVELS, "raidlevel")
    count = len(devices)
    if raidlevel == "single" and count > 1:
        raise _invalid(field, "raidlevel 'single' takes exactly one disk")
    if raidlevel == "raid10" and count % 2:
        raise _invalid(field, "raidlevel 'raid10' needs an even number of disks")
    if count < MIN_DISKS[raidlevel]:
        raise _invalid(field, f"raidlevel {raidlevel!r} needs at least {MIN_DISKS[raidlevel]}"
                              f" disks, {count} given")
    return list(devices)


def check_zpool_options(ashift=None, compression=None):
    if ashift is not None:
        low, high = ASHIFT_RANGE
        if isinstance(ashift, bool) or not isinstance(ashift, int) or not low <= ashift <= high:
            raise _invalid("ashift", f"{ashift!r} is not an integer from {low} to {high}")
    if compression is not None:
        check_choice(compression, COMPRESSION, "compression")


def find_disk(listing, name, field="disk"):
    """The entry of ``listing`` (``disks/list``) for disk ``name``, or an error naming it."""
    for entry in listing:
        if entry.get("name") == name:
            return entry
    known = ", ".join(sorted(e.get("name", "?") for e in listing)) or "none"
    raise _invalid(field, f"no such disk {name!r} on this node (PBS lists: {known})")


def check_unused(listing, name, field="disk"):
    """Disk ``name`` exists and PBS reports it ``unused``; else an error saying how it
    is used (nothing is ever wiped to make it so)."""
    entry = find_disk(listing, name, field)
    used = entry.get("used")
    if used != "unused":
        raise _invalid(field, f"disk {name!r} is in use ({used}) as PBS reports it; only an"
                              " unused disk is taken, and nothing wipes it for you")
    return entry


def pool_layout(details):
    """``(raidlevel, devices)`` of a pool from PBS's ``zpool status`` tree (the data of
    ``disks/zfs/<name>``); ``(None, [...])`` for a layout PBS's create cannot make."""
    pools = details.get("children") or []
    vdevs = (pools[0].get("children") or []) if pools else []
    if len(vdevs) == 1 and vdevs[0].get("leaf", not vdevs[0].get("children")):
        return "single", [vdevs[0]["name"]]
    groups = [re.sub(r"-\d+$", "", v.get("name", "")) for v in vdevs]
    devices = [c["name"] for v in vdevs for c in v.get("children") or [v]]
    if groups and all(g == "mirror" for g in groups):
        return ("mirror" if len(groups) == 1 else "raid10"), devices
    if len(groups) == 1 and groups[0] in ("raidz1", "raidz", "raidz2", "raidz3"):
        return {"raidz1": "raidz"}.get(groups[0], groups[0]), devices
    return None, devices


def check_flag(value, field):
    """A true/false argument (Salt passes YAML booleans through as bool)."""
    if not isinstance(value, bool):
        raise _invalid(field, "expected true or false")
    return value
