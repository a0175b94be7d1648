"""Simulated PBS worker tasks: a controllable clock, real PBS UPIDs, lazy completion.

No threads and no sleeps: a task records when it is due to end, and every access to the
task manager (``poll``) finishes the tasks whose end time the clock has passed, applying
their effect (``on_success``) at that moment. Tests speed things up with
``clock.advance(seconds)`` or ``tasks.finish_all()``.

UPID format (proxmox-schema upid.rs):
``UPID:<node>:<pid 8 hex>:<pstart 8 hex>:<task id 8 hex>:<starttime 8 hex>:<type>:<id>:<authid>:``
with upper-case hex and the worker id escaped like a systemd unit name.
"""

import datetime
import time

from saltext.pbs.simulator import values

ABORT_MESSAGE = "abort requested - aborting task"

# named task effects: survive a restart with --state-file because only the name and the
# (JSON) arguments are stored with the task
EFFECTS = {}


def effect(name):
    """Register ``fn(state, task, **args)`` as the effect called ``name``."""

    def register(fn):
        EFFECTS[name] = fn
        return fn

    return register


class SimClock:
    """Real time plus an offset that tests can advance."""

    def __init__(self, offset=0.0):
        self.offset = float(offset)
        self._listeners = []

    def now(self):
        return time.time() + self.offset

    def advance(self, seconds):
        self.offset += float(seconds)
        for listener in list(self._listeners):
            listener()

    def on_advance(self, callback):
        self._listeners.append(callback)


def systemd_escape(text):
    """Escape like systemd unit names: ``/`` -> ``-``; other bytes outside
    ``[A-Za-z0-9_.]`` (and a leading ``.``) -> ``\\xNN`` (lower-case hex)."""
    out = []
    for index, byte in enumerate(text.encode()):
        char = chr(byte)
        if char == "/":
            out.append("-")
        elif (index == 0 and char == ".") or not (
            char.isascii() and (char.isalnum() or char in "_.")
        ):
            out.append(f"\\x{byte:02x}")
        else:
            out.append(char)
    return "".join(out)


def systemd_unescape(text):
    raw = bytearray()
    i = 0
    while i < len(text):
        if text.startswith("\\x", i) and i + 4 <= len(text):
            try:
                raw.append(int(text[i + 2 : i + 4], 16))
                i += 4
                continue
            except ValueError:
                pass
        char = text[i]
        raw.extend(b"/" if char == "-" else char.encode())
        i += 1
    return raw.decode(errors="replace")


def format_upid(node, pid, pstart, task_id, starttime, worker_type, worker_id, auth_id):
    wid = systemd_escape(worker_id) if worker_id else ""
    return (
        f"UPID:{node}:{pid:08X}:{pstart:08X}:{task_id:08X}:{int(starttime):08X}:"
        f"{worker_type}:{wid}:{auth_id}:"
    )


def parse_upid(upid):
    """Split a UPID into its fields (worker id unescaped); None if malformed."""
    match = values.UPID_RE.match(upid)
    if not match:
        return None
    wid = match.group("wid")
    return {
        "upid": upid,
        "node": match.group("node"),
        "pid": int(match.group("pid"), 16),
        "pstart": int(match.group("pstart"), 16),
        "task_id": int(match.group("task_id"), 16),
        "starttime": int(match.group("starttime"), 16),
        "worker_type": match.group("wtype"),
        "worker_id": systemd_unescape(wid) if wid else None,
        "auth_id": match.group("authid"),
    }


def _log_time(epoch):
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).isoformat(
        timespec="seconds"
    )


class Task:
    """A view on one task record (records are plain dicts kept in the SimState)."""

    def __init__(self, manager, record):
        self.manager = manager
        self.record = record

    @property
    def upid(self):
        return self.record["upid"]

    @property
    def running(self):
        return self.record["status"] == "running"

    def log(self, message):
        when = self.manager.clock.now()
        if self.running and self.record.get("end_at") is not None:
            # a lazily completed worker logs at its end time, not when it is noticed
            when = min(when, self.record["end_at"])
        self.record["log"].append([when, str(message)])


class TaskManager:
    """Spawns and tracks tasks; ``sim`` provides ``clock``, ``state`` and ``faults``.

    ``TaskManager(sim)``; reads ``sim.task_duration`` (default duration in seconds).
    """

    PID = 0x4D2

    def __init__(self, sim):
        self.sim = sim
        self._callbacks = {}  # upid -> (on_success, on_failure); not persisted
        # An index of the records, so that a poll or a lookup costs the running tasks and
        # not every task ever started; rebuilt when the state (and its list) is replaced.
        self._indexed = None
        self._by_upid = {}
        self._running = []  # oldest first
        self.finished = 0  # tasks finished by this manager (the server saves the state then)
        self.pstart = 0x1E240
        clock = getattr(sim, "clock", None)
        if clock is not None and hasattr(clock, "on_advance"):
            clock.on_advance(self.poll)

    @property
    def clock(self):
        return self.sim.clock

    @property
    def _records(self):
        return self.sim.state.runtime["tasks"]

    def _index(self):
        records = self._records
        if records is not self._indexed or len(records) != len(self._by_upid):
            self._by_upid = {record["upid"]: record for record in records}
            self._running = [r for r in reversed(records) if r["status"] == "running"]
            self._indexed = records
        return self._by_upid

    @property
    def node(self):
        return getattr(self.sim.state, "node", "localhost")

    def spawn(
        self,
        worker_type,
        worker_id,
        auth_id,
        *,
        duration=None,
        log=(),
        on_success=None,
        fail=None,
        on_failure=None,
        effect=None,
        args=None,
    ):
        """Start a task and return its UPID.

        ``effect``/``args``: a named effect (see :func:`effect`) applied like
        ``on_success`` but persistable; use it for anything that changes the state.

        ``on_success(task)`` runs when the task ends without failure and applies its
        effect; if it raises, the task fails with the exception's message (as PBS workers
        do for errors found inside the worker). ``fail`` (or a pending fault from
        ``sim.faults.take_task_failure(worker_type)``) makes the task end with that
        exitstatus instead. ``on_failure(task)`` runs when it fails.
        """
        runtime = self.sim.state.runtime
        runtime["task_counter"] = runtime.get("task_counter", 0) + 1
        now = self.clock.now()
        if duration is None:
            duration = getattr(self.sim, "task_duration", 0.2)
        faults = getattr(self.sim, "faults", None)
        if fail is None and faults is not None and hasattr(faults, "take_task_failure"):
            fail = faults.take_task_failure(worker_type)
        upid = format_upid(
            self.node,
            self.PID,
            self.pstart,
            runtime["task_counter"],
            now,
            worker_type,
            worker_id,
            auth_id,
        )
        record = {
            "upid": upid,
            "worker_type": worker_type,
            "worker_id": worker_id or None,
            "auth_id": auth_id,
            "starttime": int(now),
            "end_at": now + max(float(duration), 0.0),
            "status": "running",
            "exitstatus": None,
            "endtime": None,
            "fail": fail,
            "effect": effect,
            "args": dict(args or {}),
            "log": [],
        }
        self._index()
        self._records.insert(0, record)
        self._by_upid[upid] = record
        self._running.append(record)
        self._callbacks[upid] = (on_success, on_failure)
        task = Task(self, record)
        for line in log:
            task.log(line)
        if duration <= 0:
            self.poll()
        return upid

    def get(self, upid):
        self.poll()
        record = self._index().get(upid)
        return None if record is None else Task(self, record)

    def list(self):
        """All task records, newest first (after completing due tasks)."""
        self.poll()
        return list(self._records)

    def poll(self):
        now = self.clock.now()
        self._index()
        # oldest first, so effects apply in start order
        for record in list(self._running):
            if record["status"] == "running" and record["end_at"] <= now:
                self._finish(record, record["end_at"])
        self._running = [r for r in self._running if r["status"] == "running"]

    def finish_all(self):
        """Complete every running task now (test helper)."""
        self._index()
        for record in list(self._running):
            if record["status"] == "running":
                self._finish(record, max(self.clock.now(), record["starttime"]))
        self._running = [r for r in self._running if r["status"] == "running"]

    def abort(self, upid):
        task = self.get(upid)
        if task is not None and task.running:
            task.record["fail"] = ABORT_MESSAGE
            self._finish(task.record, self.clock.now())

    def _finish(self, record, end):
        self.finished += 1
        task = Task(self, record)
        on_success, on_failure = self._callbacks.pop(record["upid"], (None, None))
        error = record.get("fail")
        if not error:
            try:
                if record.get("effect"):
                    EFFECTS[record["effect"]](self.sim.state, task, **record.get("args", {}))
                if on_success is not None:
                    on_success(task)
            except Exception as exc:  # pylint: disable=broad-except
                error = str(exc) or exc.__class__.__name__
        record["status"] = "stopped"
        record["endtime"] = int(end)
        if error:
            if on_failure is not None:
                on_failure(task)
            record["exitstatus"] = error
            record["log"].append([end, f"TASK ERROR: {error}"])
        else:
            record["exitstatus"] = "OK"
            record["log"].append([end, "TASK OK"])

    # -- wire shapes ----------------------------------------------------------------------
    def status_body(self, upid):
        """``GET .../tasks/{upid}/status`` data for a well-formed UPID."""
        info = parse_upid(upid)
        user, token = values.split_authid(info["auth_id"])
        body = {
            "upid": upid,
            "node": info["node"],
            "pid": info["pid"],
            "pstart": info["pstart"],
            "starttime": info["starttime"],
            "type": info["worker_type"],
            "id": info["worker_id"],
            "user": user,
        }
        if token is not None:
            body["tokenid"] = token
        task = self.get(upid)
        if task is not None and task.running:
            body["status"] = "running"
        else:
            body["status"] = "stopped"
            if task is None:
                body["exitstatus"] = "unknown"
            else:
                body["exitstatus"] = task.record["exitstatus"]
                if task.record["endtime"]:
                    body["endtime"] = task.record["endtime"]
        return body

    @staticmethod
    def list_item(record):
        info = parse_upid(record["upid"])
        item = {
            "upid": record["upid"],
            # PBS reports the literal "localhost" here (into_task_list_item)
            "node": "localhost",
            "pid": info["pid"],
            "pstart": info["pstart"],
            "starttime": info["starttime"],
            "worker_type": info["worker_type"],
            "user": info["auth_id"],
        }
        if info["worker_id"] is not None:
            item["worker_id"] = info["worker_id"]
        if record["status"] == "stopped":
            item["endtime"] = record["endtime"]
            item["status"] = record["exitstatus"]
        return item

    def log_lines(self, upid):
        """The task log as PBS writes it: ``<RFC3339 time>: <message>``."""
        task = self.get(upid)
        if task is None:
            return None
        return [f"{_log_time(t)}: {msg}" for t, msg in task.record["log"]]


def task_state_type(exitstatus):
    """ok | warning | error | unknown, as PBS's statusfilter classifies exit states."""
    if exitstatus == "OK":
        return "ok"
    if exitstatus == "unknown":
        return "unknown"
    if exitstatus.startswith("WARNINGS: "):
        return "warning"
    return "error"
