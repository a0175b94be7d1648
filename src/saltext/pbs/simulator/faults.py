"""Faults on demand: what a real PBS (or the network in front of it) does on a bad day.

Every switch is available from Python (``sim.faults.<name>(...)``) and through the admin
side-channel (``POST /_sim/faults`` with ``{"fault": "<name>", ...arguments}``).

``path_prefix`` arguments are API paths relative to ``/api2/json`` (``"/config/datastore"``);
a full ``/api2/json/...`` or ``/api2/extjs/...`` path is accepted too. An empty prefix
matches every API request.
"""

import re
import threading

# Which config file a write to an API path modifies (PBS keeps one file per collection;
# see the digest rules).
CONFIG_FILE_PATHS = (
    ("datastore.cfg", r"/config/datastore(/|$)"),
    ("remote.cfg", r"/config/remote(/|$)"),
    ("sync.cfg", r"/config/sync(/|$)"),
    ("prune.cfg", r"/config/prune(/|$)"),
    ("verification.cfg", r"/config/verify(/|$)"),
    ("s3.cfg", r"/config/s3(/|$)"),
    ("traffic-control.cfg", r"/config/traffic-control(/|$)"),
    ("metricserver.cfg", r"/config/metrics/"),
    ("notifications.cfg", r"/config/notifications/"),
    ("domains.cfg", r"/config/access/(ldap|ad|openid|pam|pbs)(/|$)"),
    ("tfa.json", r"/config/access/tfa/webauthn$"),
    ("user.cfg", r"/access/users(/|$)"),
    ("acl.cfg", r"/access/acl$"),
    ("node.cfg", r"/nodes/[^/]+/config$"),
    ("tape.cfg", r"/config/(drive|changer)(/|$)"),
    ("media-pool.cfg", r"/config/media-pool(/|$)"),
    ("tape-job.cfg", r"/config/tape-backup-job(/|$)"),
    ("encryption-keys.cfg", r"/config/encryption-keys(/|$)"),
    ("acme/plugins.cfg", r"/config/acme/plugins(/|$)"),
    ("acme/accounts", r"/config/acme/account(/|$)"),
)
_CONFIG_FILE_RES = tuple((name, re.compile("^" + rx)) for name, rx in CONFIG_FILE_PATHS)
CONFIG_DIR = "/etc/proxmox-backup"

FAULT_NAMES = (
    "latency",
    "reset",
    "http_error",
    "expire_tickets",
    "digest_race",
    "lock_contention",
    "fail_next_task",
    "wrong_shape",
    "cut_off",
    "trickle",
)

# Faults that change the answer's body: (the action the server takes, the argument it needs).
_BODY_FAULTS = {
    "wrong_shape": ("shape", "data"), "cut_off": ("cut_off", "keep"), "trickle": ("trickle", "seconds")
}

_REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


def config_file_for(path):
    """The config file a write to ``path`` (relative to /api2/json) touches, or None."""
    for name, rx in _CONFIG_FILE_RES:
        if rx.search(path):
            return name
    return None


def lock_error_text(config_file):
    """PBS's message when the config lock times out (proxmox-sys ``open_file_locked``)."""
    directory, _, base = config_file.rpartition("/")
    stem = base.split(".")[0]
    lock = f"{CONFIG_DIR}/{directory + '/' if directory else ''}.{stem}.lck"
    return f'Unable to acquire lock "{lock}" - Interrupted system call (os error 4)'


def _api_relative(prefix):
    m = re.match(r"^/api2/(json|extjs)(/.*)?$", prefix or "")
    if m:
        return m.group(2) or ""
    return prefix or ""


class _Rule:
    def __init__(self, kind, count, path_prefix="", **data):
        self.kind = kind
        self.count = count  # None = until cleared
        self.prefix = _api_relative(path_prefix)
        self.data = data

    def matches(self, path):
        return path.startswith(self.prefix)

    def use(self):
        if self.count is not None:
            self.count -= 1

    @property
    def spent(self):
        return self.count is not None and self.count <= 0

    def describe(self):
        return {"fault": self.kind, "count": self.count, "path_prefix": self.prefix, **self.data}


class Faults:
    """Fault switches of one simulator."""

    def __init__(self, on_expire_tickets=None):
        self._lock = threading.Lock()
        self._on_expire_tickets = on_expire_tickets
        self._rules = []
        self._task_failures = []

    # -- switches ---------------------------------------------------------------------
    def latency(self, seconds, count=None, path_prefix=""):
        """Delay matching responses by ``seconds`` (every one until cleared by default)."""
        self._add(_Rule("latency", _count(count, allow_none=True), path_prefix, seconds=float(seconds)))

    def reset(self, count=1, path_prefix=""):
        """Drop the connection of matching requests without any response."""
        self._add(_Rule("reset", _count(count), path_prefix))

    def http_error(self, status, count=1, path_prefix="", message=None):
        """Answer matching requests with ``status`` and a plain-text ``message``."""
        status = int(status)
        if not 400 <= status <= 599:
            raise ValueError("status must be an HTTP error status (400-599)")
        if message is None:
            message = _REASONS.get(status, f"HTTP error {status}")
        self._add(_Rule("http_error", _count(count), path_prefix, status=status, message=message))

    def wrong_shape(self, data, count=1, path_prefix=""):
        """Answer matching requests 200 with ``data`` as the envelope's ``data`` member
        (an object where a list belongs, a string, a list of numbers ...)."""
        self._add(_Rule("wrong_shape", _count(count), path_prefix, data=data))

    def cut_off(self, count=1, path_prefix="", keep=0.5):
        """Send the answer's headers and only the first ``keep`` share of its body, then
        drop the connection (a proxy restarting, a cable pulled)."""
        keep = float(keep)
        if not 0 <= keep < 1:
            raise ValueError("keep must be at least 0 and less than 1")
        self._add(_Rule("cut_off", _count(count), path_prefix, keep=keep))

    def trickle(self, seconds_per_byte, count=1, path_prefix=""):
        """Send the answer's body one byte at a time, ``seconds_per_byte`` apart (an
        overloaded link or a stalled gateway)."""
        seconds = float(seconds_per_byte)
        if not seconds > 0:
            raise ValueError("seconds_per_byte must be positive")
        self._add(_Rule("trickle", _count(count), path_prefix, seconds=seconds))

    def expire_tickets(self):
        """Every ticket issued so far stops working (401), as if two hours had passed."""
        if self._on_expire_tickets is not None:
            self._on_expire_tickets()

    def digest_race(self, config_file, count=1):
        """Simulate someone else editing a config file right before the next write to it.

        ``config_file`` is a config file name (``"datastore.cfg"``) or an API path prefix
        (``"/config/datastore"``). The file's digest changes just before the write's handler
        runs, so a write that carries the digest it read fails like PBS's concurrent-edit
        check.
        """
        if config_file.startswith("/"):
            self._add(_Rule("digest_race", _count(count), config_file))
        else:
            self._add(_Rule("digest_race", _count(count), "", config_file=config_file))

    def lock_contention(self, count=1, path_prefix=""):
        """The next writes to a config file fail as when PBS cannot take the file's lock."""
        self._add(_Rule("lock_contention", _count(count), path_prefix))

    def fail_next_task(self, message, worker_type=None):
        """The next task (of ``worker_type``, or any) ends with exit status ``message``."""
        with self._lock:
            self._task_failures.append((worker_type, str(message)))

    def clear(self):
        with self._lock:
            self._rules = []
            self._task_failures = []

    def apply(self, fault, **kwargs):
        """Set a fault by name (the admin side-channel's entry point)."""
        if fault not in FAULT_NAMES:
            raise ValueError(f"unknown fault {fault!r}; known: {', '.join(FAULT_NAMES)}")
        getattr(self, fault)(**kwargs)

    def active(self):
        with self._lock:
            rules = [r.describe() for r in self._rules]
            tasks = [{"fault": "fail_next_task", "worker_type": w, "message": m} for w, m in self._task_failures]
        return rules + tasks

    # -- consumers --------------------------------------------------------------------
    def take_task_failure(self, worker_type):
        """The exit status the next task of ``worker_type`` must end with, or None."""
        with self._lock:
            for i, (wanted, message) in enumerate(self._task_failures):
                if wanted is None or wanted == worker_type:
                    del self._task_failures[i]
                    return message
        return None

    def take_transport(self, path):
        """Faults for a request to ``path``: ``(delay_seconds, action)``.

        ``action`` is None, ``("reset",)``, ``("error", status, message)``,
        ``("shape", data)``, ``("cut_off", keep)`` or ``("trickle", seconds_per_byte)``.
        """
        delay = 0.0
        action = None
        with self._lock:
            for rule in self._rules:
                if not rule.matches(path):
                    continue
                if rule.kind == "latency":
                    delay += rule.data["seconds"]
                    rule.use()
                elif rule.kind == "reset" and action is None:
                    action = ("reset",)
                    rule.use()
                elif rule.kind == "http_error" and action is None:
                    action = ("error", rule.data["status"], rule.data["message"])
                    rule.use()
                elif rule.kind in _BODY_FAULTS and action is None:
                    name, argument = _BODY_FAULTS[rule.kind]
                    action = (name, rule.data[argument])
                    rule.use()
            self._prune()
        return delay, action

    def take_write(self, path):
        """Faults for a write to ``path``: ``(files_to_bump, lock_error_text_or_None)``."""
        target = config_file_for(path)
        if target is None:
            return [], None
        bump = []
        with self._lock:
            for rule in self._rules:
                if rule.kind == "lock_contention" and rule.matches(path):
                    # The write fails before it reads anything: no race is consumed.
                    rule.use()
                    self._prune()
                    return [], lock_error_text(target)
            for rule in self._rules:
                if rule.kind != "digest_race":
                    continue
                wanted = rule.data.get("config_file")
                if (wanted == target) if wanted else rule.matches(path):
                    if target not in bump:
                        bump.append(target)
                    rule.use()
            self._prune()
        return bump, None

    # -- helpers ----------------------------------------------------------------------
    def _add(self, rule):
        with self._lock:
            self._rules.append(rule)

    def _prune(self):
        self._rules = [r for r in self._rules if not r.spent]


def _count(count, allow_none=False):
    if count is None and allow_none:
        return None
    count = int(count)
    if count < 1:
        raise ValueError("count must be at least 1")
    return count
