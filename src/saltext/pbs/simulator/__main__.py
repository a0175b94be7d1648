"""Command line: ``python -m saltext.pbs.simulator --password SECRET [options]``.

Prints one JSON line ``{"url": ..., "fingerprint": ..., "ca_file": ...}`` on stdout once
the simulator listens, then serves until SIGTERM or SIGINT.
"""

import argparse
import json
import os
import signal
import sys
import threading


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m saltext.pbs.simulator",
        description="Run a simulated Proxmox Backup Server 4 on loopback.",
    )
    parser.add_argument(
        "--password",
        default=os.environ.get("PBS_SIMULATOR_PASSWORD"),
        help="password of the superuser (default: $PBS_SIMULATOR_PASSWORD; required to serve)",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8007, help="port (0 picks a free one)")
    parser.add_argument("--user", default="root@pam", help="the superuser's userid")
    parser.add_argument("--state-file", help="load the state from / save it to this file")
    parser.add_argument("--request-log", help="JSON-lines request log (secrets masked)")
    parser.add_argument("--cert-dir", help="keep the certificate and key in this directory")
    parser.add_argument(
        "--auth-delay",
        type=float,
        default=0.0,
        help="seconds to hold back 401 answers (a real PBS waits about 3)",
    )
    parser.add_argument(
        "--task-duration",
        type=float,
        default=0.2,
        help="seconds a simulated task runs",
    )
    parser.add_argument(
        "--list-endpoints",
        action="store_true",
        help="print the simulated API operations and how many PBS has, then exit",
    )
    return parser


def list_endpoints():
    # pylint: disable=import-outside-toplevel
    from saltext.pbs.simulator import core  # noqa: F401  (registers every endpoint)
    from saltext.pbs.simulator.pbs_paths import PBS_OPERATIONS
    from saltext.pbs.simulator.router import ENDPOINTS

    simulated = sorted({(ep.template, ep.method) for ep in ENDPOINTS})
    for template, method in simulated:
        print(f"{method:6} {template}")
    known = set(PBS_OPERATIONS)
    covered = sum(1 for template, method in simulated if (method, template) in known)
    print(f"{covered} of {len(known)} PBS operations simulated")


def _build(args):
    from saltext.pbs.simulator import Simulator  # pylint: disable=import-outside-toplevel

    return Simulator(
        password=args.password,
        host=args.host,
        port=args.port,
        user=args.user,
        state_file=args.state_file,
        request_log=args.request_log,
        cert_dir=args.cert_dir,
        task_duration=args.task_duration,
        auth_delay=args.auth_delay,
    )


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.list_endpoints:
        list_endpoints()
        return 0
    if not args.password:
        parser.error("the following arguments are required: --password")
    try:
        sim = _build(args)
    except (OSError, ValueError) as exc:
        print(f"cannot start the simulator: {exc}", file=sys.stderr)
        return 1
    stop = threading.Event()

    def _stop(signum, frame):  # pylint: disable=unused-argument
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        sim.start()
    except OSError as exc:
        print(f"cannot start the simulator: {exc}", file=sys.stderr)
        return 1
    print(json.dumps({"url": sim.url, "fingerprint": sim.fingerprint, "ca_file": sim.ca_file}))
    sys.stdout.flush()
    try:
        while not stop.wait(0.5):
            pass
    finally:
        sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
