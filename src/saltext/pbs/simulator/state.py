"""The simulated PBS's state: one ConfigFile per PBS config file, secrets, runtime data.

PBS computes a config ``digest`` as the SHA-256 of the whole file, so an edit to any entry
invalidates the digests held for all other entries of the same file (users and tokens
share ``user.cfg``, all notification endpoints and matchers share ``notifications.cfg``).
We keep the same granularity: the digest is the SHA-256 of a deterministic serialisation
of the file's sections. Secrets (passwords, token secrets, ...) live in separate
write-only stores and are never part of what endpoints return.
"""

import copy
import hashlib
import json
import time

from saltext.pbs.simulator import perms
from saltext.pbs.simulator import values

CONFIG_FILES = (
    "datastore.cfg",
    "remote.cfg",
    "sync.cfg",
    "prune.cfg",
    "verification.cfg",
    "s3.cfg",
    "traffic-control.cfg",
    "metricserver.cfg",
    "notifications.cfg",
    "domains.cfg",
    "user.cfg",
    "acl.cfg",
    "node.cfg",
    "tape.cfg",
    "media-pool.cfg",
    "tape-job.cfg",
    "encryption-keys.cfg",
    "acme/plugins.cfg",
    "acme/accounts",
    "tfa.json",
    "resolv.conf",
    "timezone",
)


class ConfigFile:
    """One PBS config file: ordered sections ``id -> {"type": <section type>, ...props}``."""

    def __init__(self, name, sections=None, serial=0):
        self.name = name
        self.sections = dict(sections or {})
        # bumped by simulated concurrent edits; part of the serialisation like a changed
        # byte of the real file would be
        self.serial = serial

    def serialize(self):
        return json.dumps(
            {"sections": [[k, self.sections[k]] for k in self.sections], "serial": self.serial},
            sort_keys=True,
            separators=(",", ":"),
        )

    def digest(self):
        return hashlib.sha256(self.serialize().encode()).hexdigest()

    def bump(self):
        """Simulate a concurrent edit by someone else (changes the digest)."""
        self.serial += 1

    # section helpers -----------------------------------------------------------------
    def get(self, section_id, section_type=None):
        entry = self.sections.get(section_id)
        if entry is None or (section_type is not None and entry["type"] != section_type):
            return None
        return entry

    def items(self, *types):
        """``(id, entry)`` pairs, optionally only of the given section types."""
        return [(k, v) for k, v in self.sections.items() if not types or v["type"] in types]

    def set(self, section_id, section_type, props):
        entry = {"type": section_type}
        entry.update({k: v for k, v in props.items() if k != "type" and v is not None})
        self.sections[section_id] = entry
        return entry

    def remove(self, section_id):
        return self.sections.pop(section_id, None)

    def props(self, section_id):
        """The entry's properties without the section type (a copy)."""
        entry = self.sections.get(section_id)
        if entry is None:
            return None
        return {k: copy.deepcopy(v) for k, v in entry.items() if k != "type"}

    def to_dict(self):
        return {"sections": copy.deepcopy(self.sections), "serial": self.serial}

    @classmethod
    def from_dict(cls, name, data):
        return cls(name, data.get("sections"), data.get("serial", 0))


def _acl_key(path, ugid):
    return f"{path} {ugid}"


class SimState:
    """Everything a simulated PBS remembers. Tests may read and modify it directly."""

    def __init__(self, root_user="root@pam", root_password="", node="localhost"):
        self.root_user = root_user
        self.node = node
        self.clock = None  # the Simulator sets its SimClock here (expiry checks)
        self.files = {name: ConfigFile(name) for name in CONFIG_FILES}
        # write-only secret stores: store name -> {id: secret}
        self.secrets = {
            "shadow": {},  # pbs/pam realm passwords by userid
            "token.shadow": {},  # token secrets by token id
        }
        # non-config runtime data (datastore usage, gc status, namespaces, tasks, ...)
        self.runtime = {"datastores": {}, "tasks": [], "task_counter": 0}
        self._init_builtins(root_user, root_password)

    # -- construction ---------------------------------------------------------------------
    def _init_builtins(self, root_user, root_password):
        users = self.file("user.cfg")
        users.set("root@pam", "user", {"userid": "root@pam", "comment": "Superuser"})
        if root_user != "root@pam":
            users.set(root_user, "user", {"userid": root_user})
        self.secrets["shadow"][root_user] = root_password
        domains = self.file("domains.cfg")
        domains.set(
            "pam",
            "pam",
            {"realm": "pam", "comment": "Linux PAM standard authentication", "default": True},
        )
        domains.set(
            "pbs", "pbs", {"realm": "pbs", "comment": "Proxmox Backup authentication server"}
        )
        notif = self.file("notifications.cfg")
        notif.set(
            "mail-to-root",
            "sendmail",
            {
                "name": "mail-to-root",
                "comment": "Send mails to root@pam's email address",
                "mailto-user": ["root@pam"],
            },
        )
        notif.set(
            "default-matcher",
            "matcher",
            {
                "name": "default-matcher",
                "mode": "all",
                "invert-match": True,
                "match-field": ["exact:type=prune"],
                "match-severity": ["info"],
                "target": ["mail-to-root"],
                "comment": "Route everything but successful prune job notifications to "
                "mail-to-root",
            },
        )
        self.file("acme/plugins.cfg").set("standalone", "standalone", {"plugin": "standalone"})
        self.file("timezone").set("timezone", "timezone", {"timezone": "UTC"})

    def file(self, name):
        """The ConfigFile called ``name`` (created empty when first used)."""
        if name not in self.files:
            self.files[name] = ConfigFile(name)
        return self.files[name]

    def secret_store(self, name):
        return self.secrets.setdefault(name, {})

    # -- users, tokens, authentication ----------------------------------------------------
    @property
    def users(self):
        return self.file("user.cfg")

    def user(self, userid):
        return self.users.get(userid, "user")

    def token(self, tokenid):
        return self.users.get(tokenid, "token")

    def _entry_active(self, entry, now=None):
        if entry is None or entry.get("enable") is False:
            return False
        expire = entry.get("expire") or 0
        if now is None:
            now = self.clock.now() if self.clock is not None else time.time()
        return not (expire and expire <= now)

    def auth_active(self, auth_id, now=None):
        """User (and token) exist, are enabled and unexpired."""
        userid, token = values.split_authid(auth_id)
        if not self._entry_active(self.user(userid), now):
            return False
        if token is not None and not self._entry_active(self.token(auth_id), now):
            return False
        return True

    def check_password(self, userid, password, now=None):
        _, realm = values.split_userid(userid)
        if realm not in ("pam", "pbs") or not self.auth_active(userid, now):
            return False
        if values.split_authid(userid)[1] is not None:
            return False
        stored = self.secrets["shadow"].get(userid)
        return stored is not None and stored == password

    def set_password(self, userid, password):
        self.secrets["shadow"][userid] = password

    def check_token(self, tokenid, secret, now=None):
        stored = self.secrets["token.shadow"].get(tokenid)
        if stored is None or stored != secret:
            return False
        return self.auth_active(tokenid, now)

    # -- ACLs --------------------------------------------------------------------------------
    @property
    def acl(self):
        return self.file("acl.cfg")

    def acl_entries(self):
        """Flat list ``[(path, ugid, role, propagate)]``."""
        out = []
        for _key, entry in self.acl.items():
            for role, propagate in entry["roles"].items():
                out.append((entry["path"], entry["ugid"], role, propagate))
        return out

    def acl_add(self, path, ugid, role, propagate=True):
        """Add one role like PBS: NoAccess replaces the others and vice versa."""
        key = _acl_key(path, ugid)
        entry = self.acl.get(key) or {"type": "acl", "path": path, "ugid": ugid, "roles": {}}
        roles = dict(entry["roles"])
        if role == "NoAccess":
            roles = {}
        else:
            roles.pop("NoAccess", None)
        roles[role] = bool(propagate)
        self.acl.set(key, "acl", {"path": path, "ugid": ugid, "roles": roles})

    def acl_remove(self, path, ugid, role):
        key = _acl_key(path, ugid)
        entry = self.acl.get(key)
        if entry is None or role not in entry["roles"]:
            return
        roles = {r: p for r, p in entry["roles"].items() if r != role}
        if roles:
            self.acl.set(key, "acl", {"path": path, "ugid": ugid, "roles": roles})
        else:
            self.acl.remove(key)

    def acl_remove_ugid(self, ugid):
        for key, entry in list(self.acl.items()):
            if entry["ugid"] == ugid:
                self.acl.remove(key)

    def acl_remove_subtree(self, path):
        for key, entry in list(self.acl.items()):
            if entry["path"] == path or entry["path"].startswith(path.rstrip("/") + "/"):
                self.acl.remove(key)

    def acl_roles(self, auth_id, path):
        """PBS's AclTree::roles: ``{role: propagate}`` effective for auth_id at path."""
        by_path = {}
        for _key, entry in self.acl.items():
            if entry["ugid"] == auth_id:
                by_path[entry["path"]] = entry["roles"]
        comps = [c for c in path.split("/") if c]
        node_paths = ["/"] + ["/" + "/".join(comps[: i + 1]) for i in range(len(comps))]
        result = {}
        for index, node_path in enumerate(node_paths):
            leaf = index == len(node_paths) - 1
            roles = by_path.get(node_path)
            if not roles:
                continue
            found = {}
            for role, propagate in roles.items():
                if propagate or leaf:
                    if role == "NoAccess":
                        found = {"NoAccess": False}
                        break
                    found[role] = propagate
            if found:
                result = found
        return result

    def privileges_details(self, auth_id, path):
        """``(privs, propagated_privs)`` as sets, like PBS's lookup_privs_details."""
        if perms.is_superuser(auth_id):
            return set(perms.PRIVILEGES), set(perms.PRIVILEGES)
        privs, propagated = set(), set()
        for role, propagate in self.acl_roles(auth_id, path).items():
            role_privs = perms.ROLES.get(role, ((), ""))[0]
            privs.update(role_privs)
            if propagate:
                propagated.update(role_privs)
        userid, token = values.split_authid(auth_id)
        if token is not None:
            owner_privs, owner_prop = self.privileges_details(userid, path)
            privs &= owner_privs
            propagated &= owner_prop
        return privs, propagated

    def privileges(self, auth_id, path):
        """Effective privileges; a token gets the intersection with its owner's."""
        return self.privileges_details(auth_id, path)[0]

    def any_privs_below(self, auth_id, path, privs):
        """True when auth_id has any of ``privs`` on ``path`` (propagated) or below it."""
        privs = set(privs)
        if self.privileges_details(auth_id, path)[1] & privs:
            return True
        prefix = path.rstrip("/") + "/"
        for entry_path, ugid, _role, _prop in self.acl_entries():
            if ugid == auth_id and (entry_path.startswith(prefix) or entry_path == path):
                if self.privileges(auth_id, entry_path) & privs:
                    return True
        return False

    # -- persistence --------------------------------------------------------------------
    def to_dict(self):
        return {
            "root_user": self.root_user,
            "node": self.node,
            "files": {name: f.to_dict() for name, f in self.files.items()},
            "secrets": copy.deepcopy(self.secrets),
            "runtime": copy.deepcopy(self.runtime),
        }

    @classmethod
    def from_dict(cls, data):
        state = cls.__new__(cls)
        state.root_user = data.get("root_user", "root@pam")
        state.node = data.get("node", "localhost")
        state.clock = None
        state.files = {name: ConfigFile(name) for name in CONFIG_FILES}
        for name, fdata in data.get("files", {}).items():
            state.files[name] = ConfigFile.from_dict(name, fdata)
        state.secrets = copy.deepcopy(data.get("secrets", {}))
        state.secrets.setdefault("shadow", {})
        state.secrets.setdefault("token.shadow", {})
        state.runtime = copy.deepcopy(data.get("runtime", {}))
        state.runtime.setdefault("datastores", {})
        state.runtime.setdefault("tasks", [])
        state.runtime.setdefault("task_counter", 0)
        return state
