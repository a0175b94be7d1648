"""The bytes of a simulated snapshot's files, made on demand in PBS's on-disk formats.

Blobs (``*.blob``) are uncompressed, unencrypted DataBlobs (pbs-datastore file_formats.rs
and data_blob.rs: 8 magic bytes, the CRC32 of the payload little-endian, the payload):
the manifest ``index.json.blob`` holds the snapshot's manifest JSON, the guest
configuration blobs a plausible configuration, ``client.log.blob`` an uploaded log.
Index files (``*.fidx``, ``*.didx``) are a 4096-byte header (magic, UUID, creation time,
SHA-256 over the chunk list; a fixed index also its size and chunk size) followed by the
chunk list; the chunks themselves do not exist. Everything is derived from the snapshot, so
the same request answers the same bytes.

Decoding: a blob decodes to its payload; every pxar archive of a snapshot holds the small
file tree of :func:`archive_tree` (browsed through the catalog, downloaded file by file or
as a zip or tar.zst of a directory); other index archives decode to bytes of their size.
"""

import base64
import hashlib
import io
import json
import struct
import tarfile
import time
import uuid
import zipfile
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
        if item["filename"] in ("index.json.blob", "client.log.blob"):
            continue  # the manifest does not list itself nor the uploaded client log
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


# ----- decoding (download-decoded, catalog, pxar-file-download, upload-backup-log) ---------
DECODED_LIMIT = 64 * 1024 * 1024  # the simulator makes decoded index archives up to this size
MAX_BLOB_SIZE = 128 * 1024 * 1024  # pbs-datastore data_blob.rs


def parse_blob(raw):
    """The payload of an uncompressed, unencrypted DataBlob; ``ValueError`` with PBS's text
    (DataBlob::load_from_reader: size, magic, CRC) when it is none."""
    if len(raw) > MAX_BLOB_SIZE:
        raise ValueError(f"data blob too large ({len(raw)} bytes).")
    if len(raw) < 12:
        raise ValueError(f"blob too small ({len(raw)} bytes).")
    if raw[:8] != BLOB_MAGIC:
        raise ValueError("unable to parse raw blob - wrong magic")
    payload = raw[12:]
    if struct.unpack("<I", raw[8:12])[0] != zlib.crc32(payload) & 0xFFFFFFFF:
        raise ValueError("Data blob has wrong CRC checksum.")
    return payload


def is_pxar(filename):
    return filename.endswith((".pxar.didx", ".mpxar.didx"))


def archive_tree(group, snap):
    """The files of a snapshot's pxar archive: ``{path: entry}``, ``entry`` with ``type``
    (``d``, ``f`` or ``l``), ``mtime`` and, for files, ``data`` (bytes). The same for every
    pxar archive of the snapshot; a log file's text names the snapshot's time, so restores
    of different snapshots differ."""
    ident, when = group["backup-id"], snap["backup-time"]
    host = ident if group["backup-type"] == "host" else f"{group['backup-type']}{ident}"
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(when))
    files = {
        "/etc/hostname": f"{host}\n",
        "/etc/hosts": f"127.0.0.1 localhost\n10.0.0.10 {host}.example.com {host}\n",
        "/etc/os-release": 'PRETTY_NAME="Debian GNU/Linux 13 (trixie)"\nID=debian\n',
        "/root/.bashrc": "export HISTSIZE=10000\nalias ll='ls -l'\n",
        "/var/log/backup.log": f"{stamp} backup of {host} started\n",
    }
    mtime = when - 3600
    tree = {"/": {"type": "d", "mtime": mtime}}
    for path, text in files.items():
        parts = path.split("/")
        for depth in range(2, len(parts)):
            tree.setdefault("/".join(parts[:depth]), {"type": "d", "mtime": mtime})
        tree[path] = {"type": "f", "mtime": mtime, "data": text.encode()}
    tree["/home"] = {"type": "d", "mtime": mtime}
    tree["/etc/localtime"] = {"type": "l", "mtime": mtime}
    return tree


def _archive_entry(path, entry):
    """ArchiveEntry (pbs-datastore catalog.rs): base64 path, name, type, leaf, size, mtime."""
    item = {"filepath": base64.b64encode(path.encode()).decode(),
            "text": path.rsplit("/", 1)[-1], "type": entry["type"],
            "leaf": entry["type"] != "d"}
    if entry["type"] == "f":
        item["size"] = len(entry["data"])
        item["mtime"] = entry["mtime"]
    return item


def children(tree, path):
    """The entries directly below directory ``path`` of ``tree``, sorted by name."""
    prefix = path.rstrip("/") + "/"
    return sorted(p for p in tree if p != "/" and p.startswith(prefix)
                  and "/" not in p[len(prefix):])


def list_dir(tree, path, prefix=""):
    """ArchiveEntry items of directory ``path``; ``prefix`` goes before each path (the
    archive name when listing through the catalog)."""
    return [_archive_entry(prefix + p, tree[p]) for p in children(tree, path)]


def decoded(group, snap, filename):
    """download-decoded: a blob's payload, or an index archive's content (bytes of its size,
    derived from the snapshot; not a valid image or pxar stream). None when absent."""
    item = next((f for f in snap["files"] if f["filename"] == filename), None)
    if item is None:
        return None
    if filename.endswith(".blob"):
        return content(group, snap, filename)[12:]
    size = int(item.get("size") or 0)
    if size > DECODED_LIMIT:
        raise ValueError(f"the simulator decodes archives up to {DECODED_LIMIT} bytes;"
                         f" '{filename}' has {size}")
    seed = hashlib.sha256(_seed(group, snap, filename).encode()).digest()
    out = bytearray()
    block = seed
    while len(out) < size:
        block = hashlib.sha256(block).digest()
        out += block * 32
    return bytes(out[:size])


def zip_dir(tree, path):
    """A directory as PBS's create_zip sends it: entries named below the directory."""
    buffer = io.BytesIO()
    base = path.rstrip("/")
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(p for p in tree if p.startswith(base + "/")):
            entry = tree[name]
            stamp = time.gmtime(max(entry["mtime"], 315532800))[:6]
            rel = name[len(base) + 1:] if base else name.lstrip("/")
            if entry["type"] == "d":
                archive.writestr(zipfile.ZipInfo(rel + "/", stamp), b"")
            elif entry["type"] == "f":
                archive.writestr(zipfile.ZipInfo(rel, stamp), entry["data"])
    return buffer.getvalue()


def tar_zst_dir(tree, path):
    """A directory as a tar archive in a zstd frame (PBS's ``tar`` download)."""
    buffer = io.BytesIO()
    base = path.rstrip("/")
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name in sorted(p for p in tree if p.startswith(base + "/")):
            entry = tree[name]
            rel = name[len(base) + 1:] if base else name.lstrip("/")
            info = tarfile.TarInfo(rel)
            info.mtime = entry["mtime"]
            if entry["type"] == "d":
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                archive.addfile(info)
            elif entry["type"] == "f":
                info.size, info.mode = len(entry["data"]), 0o644
                archive.addfile(info, io.BytesIO(entry["data"]))
            else:
                info.type, info.linkname = tarfile.SYMTYPE, "/usr/share/zoneinfo/Etc/UTC"
                archive.addfile(info)
    return zstd_frame(buffer.getvalue())


def zstd_frame(data):
    """One zstd frame (RFC 8878) of raw (stored) blocks: single segment, content size set."""
    frame = struct.pack("<I", 0xFD2FB528) + bytes([0xE0]) + struct.pack("<Q", len(data))
    limit = 128 * 1024
    pieces = [data[i:i + limit] for i in range(0, len(data), limit)] or [b""]
    for index, piece in enumerate(pieces):
        last = 1 if index == len(pieces) - 1 else 0
        frame += struct.pack("<I", (len(piece) << 3) | last)[:3] + piece
    return frame
