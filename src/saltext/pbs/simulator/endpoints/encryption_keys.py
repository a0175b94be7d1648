"""Sync encryption keys: ``/config/encryption-keys``.

PBS src/api2/config/encryption_keys.rs, pbs-config encryption_keys.rs, pbs-key-config
lib.rs (``KeyConfig``), pbs-tools crypt_config.rs (the fingerprint); types from
pbs-api-types key_derivation.rs (``CryptKey``, ``KeyInfo``).

* ``encryption-keys.cfg`` holds one ``sync-key`` section per key (``path``, ``kdf``,
  ``created``, ``modified``, ``fingerprint``, ``archived-at`` once archived); the key
  material itself is kept in the state's secret store (``encryption-keys``), as PBS keeps
  it in a separate 0640 file.
* There is no item GET: the list is filtered by ``Sys.Audit`` on
  ``/system/encryption-keys/{id}`` and hides archived keys unless ``include-archived``.
* Create returns the whole key config, key material included; an imported key must be an
  unprotected (``kdf`` null) PBS key whose fingerprint matches its data.
* ``POST /config/encryption-keys/{id}`` toggles the archived state; archiving a key that
  is a sync job's ``active-encryption-key`` and deleting one that a job names as active or
  associated key are refused naming the jobs; only an archived key can be deleted
  (``key still active, deleting is only possible for archived keys``); deleting an id that
  does not exist succeeds.
"""

import base64
import binascii
import datetime
import hashlib
import json
import os

from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema as s
from saltext.pbs.simulator.collections import check_digest
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.router import endpoint

CFG = "encryption-keys.cfg"
SECTION = "sync-key"
KEY_DIR = "/etc/proxmox-backup/encryption-keys/"
ID = {"id": s.safe_id(3, 32).req()}
DIGEST = {"digest": s.DIGEST}
# sha256(b"Proxmox Backup Encryption Key Fingerprint"), as pbs-tools computes it
_FINGERPRINT_INPUT = hashlib.sha256(b"Proxmox Backup Encryption Key Fingerprint").digest()


def fingerprint(raw_key):
    """A key's fingerprint: sha256 of a fixed input followed by the key's id key (PBKDF2)."""
    id_key = hashlib.pbkdf2_hmac("sha256", raw_key, b"_id_key", 10, 32)
    digest = hashlib.sha256(_FINGERPRINT_INPUT + id_key).digest()
    return ":".join(f"{b:02x}" for b in digest)


def _rfc3339(epoch):
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).isoformat()


def _epoch(text):
    return int(datetime.datetime.fromisoformat(str(text).replace("Z", "+00:00")).timestamp())


def _imported(text):
    """The provided key config, checked as PBS does before storing it."""
    try:
        config = json.loads(text)
        if not isinstance(config, dict):
            raise ValueError("expected a JSON object")
        raw = base64.b64decode(config["data"], validate=True)
        created, modified = _epoch(config["created"]), _epoch(config["modified"])
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise ApiError(400, f"failed to parse provided key: {exc}") from None
    if config.get("kdf") is not None:
        raise ApiError(400, "protected keys not supported")
    if len(raw) != 32:
        raise ApiError(400, "failed to load provided key: source slice length "
                            f"({len(raw)}) does not match destination slice length (32)")
    actual = fingerprint(raw)
    stored = config.get("fingerprint")
    if stored is not None and stored != actual:
        raise ApiError(400, f"failed to load provided key: KeyConfig contains wrong "
                            f"fingerprint {stored}, contained key has fingerprint {actual}")
    return raw, created, modified, config.get("hint")


def _jobs_using(ctx, key_id, include_associated):
    jobs = []
    for job_id, job in ctx.state.file("sync.cfg").items("sync"):
        if job.get("active-encryption-key") == key_id or (
            include_associated and key_id in job.get("associated-key", [])
        ):
            jobs.append(job_id)
    return jobs


def _check_unused(ctx, key_id, include_associated):
    jobs = _jobs_using(ctx, key_id, include_associated)
    if jobs:
        plural = "s" if len(jobs) > 1 else ""
        raise ApiError(400, f"encryption key in use by sync job{plural}: '{', '.join(jobs)}'")


def _lookup(cfg, key_id):
    entry = cfg.get(key_id, SECTION)
    if entry is None:
        raise ApiError(400, f"no such {SECTION} '{key_id}'")
    return entry


@endpoint(
    "GET",
    "/config/encryption-keys",
    params={"include-archived": s.boolean()},
    permission=perms.Anybody(),
)
def list_keys(ctx, params):
    cfg = ctx.state.file(CFG)
    out = []
    for key_id, entry in cfg.items(SECTION):
        if "archived-at" in entry and not params.get("include-archived", False):
            continue
        if "Sys.Audit" not in ctx.state.privileges(ctx.auth_id, f"/system/encryption-keys/{key_id}"):
            continue
        out.append({"id": key_id, **{k: v for k, v in entry.items() if k != "type"}})
    ctx.attrs["digest"] = cfg.digest()
    return out


@endpoint(
    "POST",
    "/config/encryption-keys",
    params={**ID, "key": s.string()},
    permission=perms.Privilege("/system/encryption-keys", "Sys.Modify"),
    secrets=("key", "data"),
)
def create_key(ctx, params):
    key_id = params["id"]
    if "key" in params:
        raw, created, modified, hint = _imported(params["key"])
    else:
        raw = os.urandom(32)
        created = modified = int(ctx.sim.clock.now())
        hint = None
    cfg = ctx.state.file(CFG)
    if cfg.get(key_id) is not None:
        raise ApiError(400, f"key with id '{key_id}' already exists.")
    info = {
        "path": f"{KEY_DIR}{key_id}.enc",
        "kdf": "none",
        "created": created,
        "modified": modified,
        "fingerprint": fingerprint(raw),
    }
    if hint is not None:
        info["hint"] = hint
    cfg.set(key_id, SECTION, info)
    config = {
        "kdf": None,
        "created": _rfc3339(created),
        "modified": _rfc3339(modified),
        "data": base64.b64encode(raw).decode(),
        "fingerprint": info["fingerprint"],
    }
    if hint is not None:
        config["hint"] = hint
    ctx.state.secret_store("encryption-keys")[key_id] = config
    return config


@endpoint(
    "POST",
    "/config/encryption-keys/{id}",
    params={**ID, **DIGEST},
    permission=perms.Privilege("/system/encryption-keys/{id}", "Sys.Modify"),
)
def toggle_archive(ctx, params):
    cfg = ctx.state.file(CFG)
    check_digest(cfg, params.get("digest"))
    entry = dict(_lookup(cfg, params["id"]))
    entry.pop("type", None)
    if "archived-at" in entry:
        del entry["archived-at"]
    else:
        _check_unused(ctx, params["id"], include_associated=False)
        entry["archived-at"] = int(ctx.sim.clock.now())
    cfg.set(params["id"], SECTION, entry)


@endpoint(
    "DELETE",
    "/config/encryption-keys/{id}",
    params={**ID, **DIGEST},
    permission=perms.Privilege("/system/encryption-keys/{id}", "Sys.Modify"),
)
def delete_key(ctx, params):
    cfg = ctx.state.file(CFG)
    check_digest(cfg, params.get("digest"))
    _check_unused(ctx, params["id"], include_associated=True)
    entry = cfg.get(params["id"])
    if entry is None:
        return  # PBS: nothing to remove is not an error
    if "archived-at" not in entry:
        raise ApiError(400, "key still active, deleting is only possible for archived keys")
    cfg.remove(params["id"])
    ctx.state.secret_store("encryption-keys").pop(params["id"], None)
