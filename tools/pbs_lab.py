"""A throw-away lab for the demo and the benchmark: a simulator subprocess and a private
Salt configuration directory, so ``salt-call --local`` runs without root.

Standard library only (plus ``requests`` for changes made "behind Salt's back").
"""

import json
import pathlib
import secrets
import shutil
import signal
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = pathlib.Path(sys.executable).parent


class Lab:
    """``with Lab(workdir) as lab:`` starts a fresh simulator and writes a Salt config."""

    def __init__(
        self, workdir, file_roots=None, log_level="info", extra_config=None, task_duration=0.2
    ):
        self.workdir = pathlib.Path(workdir).resolve()
        self.file_roots = pathlib.Path(file_roots or ROOT / "examples").resolve()
        self.log_level = log_level
        self.extra_config = extra_config or {}
        self.task_duration = task_duration  # seconds each PBS task runs in the simulator
        self.password = secrets.token_urlsafe(18)
        self.request_log = self.workdir / "requests.jsonl"
        self.minion_log = self.workdir / "minion.log"
        self.config_dir = self.workdir / "conf"
        self.proc = None
        self.info = None

    # -- simulator ---------------------------------------------------------------------
    def start(self):
        if self.workdir.exists():
            shutil.rmtree(self.workdir)  # a fresh state every run
        self.workdir.mkdir(parents=True)
        cmd = [
            sys.executable, "-m", "saltext.pbs.simulator",
            f"--password={self.password}",  # one argument: a password may start with "-"
            "--port", "0",
            "--request-log", str(self.request_log),
            "--cert-dir", str(self.workdir / "cert"),
            "--task-duration", str(self.task_duration),
        ]  # fmt: skip
        self.proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, text=True
        )  # pylint: disable=consider-using-with
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait(timeout=10)
            raise RuntimeError(f"the simulator did not start (exit code {self.proc.returncode})")
        self.info = json.loads(line)
        self._write_config()
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.proc.stdout.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- salt --------------------------------------------------------------------------
    def pbs_block(self):
        return {
            "url": self.info["url"],
            "fingerprint": self.info["fingerprint"],
            "username": "root@pam",
            "password": self.password,
        }

    def _write_config(self):
        work = self.workdir
        config = {
            "id": "pbs-lab",
            "root_dir": str(work),
            "pki_dir": str(work / "pki"),
            "cachedir": str(work / "cache"),
            "sock_dir": str(work / "sock"),
            "pidfile": str(work / "minion.pid"),
            "log_file": str(self.minion_log),
            "log_level_logfile": self.log_level,
            "file_client": "local",
            "file_roots": {"base": [str(self.file_roots)]},
            "pbs": self.pbs_block(),
            **self.extra_config,
        }
        self.config_dir.mkdir(parents=True, exist_ok=True)
        path = self.config_dir / "minion"
        # JSON is valid YAML, and needs no YAML library here.
        path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
        path.chmod(0o600)

    def salt_call(self, *args, capture=False):
        """Run ``salt-call --local -c <config> ARGS``; returns the CompletedProcess."""
        cmd = [str(BIN / "salt-call"), "--local", "-c", str(self.config_dir), *args]
        return subprocess.run(cmd, check=False, text=True, capture_output=capture)

    def state_apply(self, sls, *args):
        """Apply an SLS, returning its state returns (parsed JSON) and the exit code."""
        proc = self.salt_call("state.apply", sls, "--out=json", *args, capture=True)
        try:
            data = json.loads(proc.stdout)["local"]
        except (ValueError, KeyError):
            raise RuntimeError(f"salt-call failed:\n{proc.stdout}\n{proc.stderr}") from None
        return data, proc.returncode

    # -- the simulator's own view --------------------------------------------------------
    def requests_logged(self):
        """The simulator's request log (secrets masked there)."""
        if not self.request_log.exists():
            return []
        with open(self.request_log, encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]

    def api(self):
        """A ``requests`` session logged in as root@pam: for changes behind Salt's back."""
        import requests  # pylint: disable=import-outside-toplevel

        session = requests.Session()
        base = self.info["url"] + "/api2/json"
        # verify per request: REQUESTS_CA_BUNDLE in the environment overrides Session.verify
        kwargs = {"verify": self.info["ca_file"], "timeout": 30}
        resp = session.post(
            base + "/access/ticket",
            data={"username": "root@pam", "password": self.password},
            **kwargs,
        )
        resp.raise_for_status()
        data = resp.json()["data"]
        session.cookies.set("PBSAuthCookie", data["ticket"])
        session.headers["CSRFPreventionToken"] = data["CSRFPreventionToken"]

        def call(method, path, **more):
            answer = session.request(method, base + path, **kwargs, **more)
            answer.raise_for_status()
            return answer.json()["data"]

        return call
