"""The bytes of a simulated snapshot's files, made on demand in PBS's on-disk formats.

Blobs (``*.blob``) are uncompressed, unencrypted DataBlobs (pbs-datastore file_formats.rs
and data_blob.rs: 8 magic bytes, the CRC32 of the payload little-endian, the payload):
the manifest ``index.json.blob`` holds the snapshot's manifest JSON, the guest
configuration blobs a plausible configuration, ``client.log.blob`` an uploaded log.
Index files (``*.fidx``, ``*.didx``) are a 4096-byte header (magic, UUID, creation time,
SHA-256 over the chunk list; a fixed index also its size and chunk size) followed by the
chunk list; the chunks themselves do not exist. Everything is derived from the snapshot, so
the same request answers the same bytes.
"""

import hashlib
import json
import struct
import uuid
import zlib

BLOB_MAGIC = bytes([66, 171, 56, 7, 190, 131, 112, 161])
FIXED_INDEX_MAGIC = bytes([47, 127, 65, 237, 145, 253, 15, 205])
DYNAMIC_INDEX_MAGIC = bytes([28, 145, 78, 165, 25, 186, 179, 205])
CHUNK_SIZE = 4 * 1024 * 1024
INDEX_HEADER = 4096
_CHUNKS = 4  # chunk entries written into an index (whatever the archive's size)


def blob(payload):
    return BLOB_MAGIC + struct.pack("<I", zlib.crc32(payload) & 0xFFFFFFFF) + payload


def _seed(group, snap, filename):
    return f"{group['backup-type']}/{group['backup-id']}/{snap['backup-time']}/{filename}"


def manifest(group, snap):
    files = []
    for item in snap["files"]:
        if item["filename"] == "index.json.blob":
            continue
        digest = hashlib.sha256(_seed(group, snap, item["filename"]).encode()).hexdigest()
        files.append({"filename": item["filename"], "size": item.get("size", 0),
                      "csum": digest, "crypt-mode": item.get("crypt-mode", "none")})
    unprotected = {}
    if snap.get("notes"):
        unprotected["notes"] = snap["notes"]
    if snap.get("verification"):
        unprotected["verify_state"] = dict(snap["verification"])
    return {"backup-type": group["backup-type"], "backup-id": group["backup-id"],
            "backup-time": snap["backup-time"], "files": files, "unprotected": unprotected,
            "signature": None}


def _guest_config(group, filename):
    ident = group["backup-id"]
    if filename == "qemu-server.conf.blob":
        return (f"boot: order=scsi0\ncores: 2\nmemory: 4096\nname: vm{ident}\n"
                f"scsi0: local-lvm:vm-{ident}-disk-0,size=32G\n")
    if filename == "pct.conf.blob":
        return (f"arch: amd64\nhostname: ct{ident}\nmemory: 1024\n"
                f"rootfs: local:{ident}/vm-{ident}-disk-0.raw,size=8G\n")
    return f"{filename} of {group['backup-type']}/{ident}\n"


def _index(group, snap, item):
    name = item["filename"]
    seed = _seed(group, snap, name)
    digests = [hashlib.sha256(f"{seed}#{i}".encode()).digest() for i in range(_CHUNKS)]
    head = (FIXED_INDEX_MAGIC if name.endswith(".fidx") else DYNAMIC_INDEX_MAGIC)
    head += uuid.UUID(hashlib.md5(seed.encode()).hexdigest()).bytes  # nosec - an id only
    head += struct.pack("<q", snap["backup-time"])
    if name.endswith(".fidx"):
        entries = b"".join(digests)
        head += hashlib.sha256(entries).digest()
        head += struct.pack("<QQ", item.get("size") or 0, CHUNK_SIZE)
    else:
        size = item.get("size") or 0
        ends = [size * (i + 1) // _CHUNKS for i in range(_CHUNKS)]
        entries = b"".join(struct.pack("<Q", end) + d for end, d in zip(ends, digests))
        head += hashlib.sha256(entries).digest()
    return head.ljust(INDEX_HEADER, b"\0") + entries


def content(group, snap, filename):
    """The bytes of ``filename`` in the snapshot, or None when it has no such file."""
    item = next((f for f in snap["files"] if f["filename"] == filename), None)
    if item is None:
        return None
    if filename == "index.json.blob":
        return blob(json.dumps(manifest(group, snap), indent=2).encode())
    if filename == "client.log.blob":
        return blob((snap.get("client-log") or "").encode())
    if filename.endswith(".blob"):
        return blob(_guest_config(group, filename).encode())
    return _index(group, snap, item)
