"""Node endpoints: ``GET /nodes``, the node status and identity (PBS src/api2/node/)."""

import platform
import secrets

from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema as s
from saltext.pbs.simulator.router import endpoint

GIB = 1024**3
BOOT_TIME_OFFSET = 3600 * 24 * 3


@endpoint("GET", "/nodes", params=None, permission=perms.Superuser())
def list_nodes(ctx, params):
    return [{"node": ctx.state.node}]


@endpoint(
    "GET",
    "/nodes/{node}/status",
    params={"node": s.NODE.req()},
    permission=perms.Privilege("/system/status", "Sys.Audit"),
)
def node_status(ctx, params):
    return {
        "memory": {"total": 16 * GIB, "used": 4 * GIB, "free": 12 * GIB},
        "swap": {"total": 2 * GIB, "used": 0, "free": 2 * GIB},
        "root": {"total": 64 * GIB, "used": 8 * GIB, "avail": 56 * GIB},
        "uptime": BOOT_TIME_OFFSET,
        "loadavg": [0.1, 0.05, 0.01],
        "kversion": "Linux 6.14.8-2-pve #1 SMP PREEMPT_DYNAMIC PMX 6.14.8-2",
        "current-kernel": {
            "sysname": "Linux",
            "release": "6.14.8-2-pve",
            "version": "#1 SMP PREEMPT_DYNAMIC PMX 6.14.8-2",
            "machine": platform.machine() or "x86_64",
        },
        "cpu": 0.01,
        "wait": 0.0,
        "cpuinfo": {"model": "Simulated CPU", "sockets": 1, "cpus": 4},
        "info": {"fingerprint": getattr(ctx.sim, "fingerprint", None) or ""},
        "boot-info": {"mode": "efi", "secureboot": False},
    }


@endpoint(
    "GET",
    "/nodes/{node}/identity",
    params={"node": s.NODE},
    permission=perms.Anybody(),
)
def node_identity(ctx, params):
    # PBS derives the id from /etc/machine-id (src/api2/node/mod.rs get_identity): stable
    # for the host, so the simulator keeps one per state
    machine = ctx.state.runtime.setdefault("machine-id", secrets.token_hex(16))
    return {"pbs-instance-id": machine}
