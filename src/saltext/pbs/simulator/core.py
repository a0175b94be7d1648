"""The :class:`Simulator`: one simulated PBS served over HTTPS on loopback."""

import contextlib
import importlib
import json
import os
import shutil
import tempfile
import threading
import uuid

from saltext.pbs.simulator import admin
from saltext.pbs.simulator import auth
from saltext.pbs.simulator import builtin  # noqa: F401  pylint: disable=unused-import
from saltext.pbs.simulator import certs
from saltext.pbs.simulator import server
from saltext.pbs.simulator import tasks
from saltext.pbs.simulator.faults import Faults
from saltext.pbs.simulator.requestlog import RequestLog
from saltext.pbs.simulator.router import Router
from saltext.pbs.simulator.state import SimState

# Importing the package registers every simulated endpoint.
importlib.import_module("saltext.pbs.simulator.endpoints")


class _Clock(tasks.SimClock):
    """The simulator's clock; advancing it (and finishing the tasks that are due then)
    never overlaps a request being handled."""

    def __init__(self, lock):
        super().__init__()
        self._lock = lock

    def advance(self, seconds):
        with self._lock:
            super().advance(seconds)


class Simulator:  # pylint: disable=too-many-instance-attributes
    """A fake Proxmox Backup Server 4.

    ``password`` is the password of ``user`` (``root@pam`` by default). ``port=0`` picks a
    free port. ``state_file``: load the state from it at start (when it exists) and save
    it after every change; without it the simulator starts clean and keeps nothing.
    ``request_log``: JSON-lines file of every API request, secrets masked. ``cert_dir``:
    where the certificate and key live (a temporary directory when not given).
    ``task_duration``: seconds (simulator clock) a task runs. ``auth_delay``: seconds a 401
    answer is held back (PBS waits about 3 s; 0 keeps tests fast).
    """

    def __init__(
        self,
        password,
        host="127.0.0.1",
        port=0,
        user="root@pam",
        state_file=None,
        request_log=None,
        cert_dir=None,
        task_duration=0.2,
        auth_delay=0.0,
    ):
        if not password:
            raise ValueError("the simulator needs a password for its superuser")
        self.password = password
        self.host = host
        self.port = int(port)
        self.user = user
        self.state_file = state_file
        self.request_log = request_log
        self.cert_dir = cert_dir
        self.task_duration = task_duration
        self.auth_delay = float(auth_delay)
        self.lock = threading.RLock()
        self.clock = _Clock(self.lock)
        self.tickets = auth.TicketAuthority(self.clock)
        self.faults = Faults(on_expire_tickets=self.tickets.expire_all)
        self.recorder = RequestLog(request_log)
        self.router = Router()
        self.admin = admin.Admin(self)
        self._saved = None
        self.state = self._load_state()
        self.tasks = tasks.TaskManager(self)
        self.url = self.fingerprint = self.ca_file = None
        self._server = self._thread = self._tmp_cert_dir = None

    # -- state ------------------------------------------------------------------------
    def _fresh_state(self):
        state = SimState(root_user=self.user, root_password=self.password)
        state.clock = self.clock
        if self.user != "root@pam":
            # Only root@pam is PBS's superuser; another admin user gets the Admin role.
            state.acl_add("/", self.user, "Admin", True)
        return state

    def _load_state(self):
        if self.state_file and os.path.exists(self.state_file):
            try:
                with open(self.state_file, encoding="utf-8") as fh:
                    state = SimState.from_dict(json.load(fh))
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise ValueError(f"state file {self.state_file} is unusable: {exc}") from None
            state.clock = self.clock
            # The password given now is the superuser's password, whatever was saved.
            state.set_password(self.user, self.password)
            return state
        return self._fresh_state()

    def persist(self):
        """Save the state to ``state_file`` (atomically) when it changed."""
        if not self.state_file:
            return
        with self.lock:
            text = json.dumps(self.state.to_dict(), sort_keys=True)
            if text == self._saved:
                return
            directory = os.path.dirname(os.path.abspath(self.state_file))
            os.makedirs(directory, exist_ok=True)
            # mkstemp creates the file 0600: the state holds passwords and token secrets.
            fd, tmp = tempfile.mkstemp(prefix=".pbs-sim-state-", dir=directory)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(text)
                os.replace(tmp, self.state_file)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
            self._saved = text

    def reset(self):
        """Back to a fresh state: built-ins only, no faults, no tasks."""
        with self.lock:
            # The task manager reads sim.state, so it follows the new state.
            self.state = self._fresh_state()
            self.faults.clear()
            self.persist()

    def tasks_tick(self):
        """Let tasks whose time has come finish before a request looks at the state."""
        self.tasks.poll()

    # -- lifecycle --------------------------------------------------------------------
    def start(self):
        cert_dir = self.cert_dir
        if cert_dir is None:
            cert_dir = self._tmp_cert_dir = tempfile.mkdtemp(prefix="pbs-sim-cert-")
        cert_file, key_file = certs.ensure_certificate(cert_dir, self.host)
        with open(cert_file, encoding="ascii") as fh:
            self.fingerprint = certs.fingerprint(fh.read())
        self.ca_file = cert_file
        self._server = server.HTTPSServer(
            (self.host, self.port),
            certs.server_context(cert_file, key_file),
            server.Pipeline(self),
        )
        self.port = self._server.server_address[1]
        host = f"[{self.host}]" if ":" in self.host else self.host
        self.url = f"https://{host}:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # quick shutdown
            name="pbs-simulator",
            daemon=True,
        )
        self._thread.start()
        self.persist()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server.close_connections()
            self._thread.join(timeout=5)
            self._server = self._thread = None
            self.persist()
        if self._tmp_cert_dir:
            shutil.rmtree(self._tmp_cert_dir, ignore_errors=True)
            self._tmp_cert_dir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- request log ------------------------------------------------------------------
    def exchanges(self):
        """Every API request so far, unmasked (request-log keys plus ``fidelity``)."""
        return self.recorder.exchanges()

    def clear_exchanges(self):
        self.recorder.clear()

    def fidelity(self, flag=True):
        """Context manager: mark the requests sent inside as deliberate protocol tests."""
        return self.recorder.fidelity(flag)

    # -- test conveniences ------------------------------------------------------------
    def create_token(self, userid, tokenname, comment=None):
        """Create API token ``userid!tokenname`` directly in the state; return its secret."""
        tokenid = f"{userid}!{tokenname}"
        with self.lock:
            if self.state.user(userid) is None:
                raise ValueError(f"no such user '{userid}'")
            props = {"tokenid": tokenid}
            if comment:
                props["comment"] = comment
            self.state.users.set(tokenid, "token", props)
            secret = str(uuid.uuid4())
            self.state.secret_store("token.shadow")[tokenid] = secret
            self.persist()
        return secret

    def add_acl(self, path, auth_id, role, propagate=True):
        """Grant ``role`` on ``path`` to a user or token directly in the state."""
        with self.lock:
            self.state.acl_add(path, auth_id, role, propagate)
            self.persist()

    def seed_backups(self, store, **options):
        """Give datastore ``store`` a backup history: ``days`` days of ``per_day``
        snapshots for each of ``groups_spec`` (``["vm/100", "ct/200", ...]``), newest
        today (simulator clock); see :func:`saltext.pbs.simulator.backups.seed_history`.
        Returns how many snapshots were made."""
        from saltext.pbs.simulator import backups  # pylint: disable=import-outside-toplevel

        return backups.seed(self, store, **options)
