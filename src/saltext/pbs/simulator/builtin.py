"""Endpoints that belong to the simulator's core rather than to a configuration area."""

import hashlib

from saltext.pbs.simulator import perms
from saltext.pbs.simulator.router import endpoint

VERSION = "4.2"
RELEASE = "3"
# A stable, syntactically valid git commit id for the simulated build.
REPOID = hashlib.sha1(b"saltext-pbs simulator " + VERSION.encode() + b"-" + RELEASE.encode()).hexdigest()


@endpoint("GET", "/ping", permission=perms.World())
def ping(ctx, params):  # pylint: disable=unused-argument
    return {"pong": True}


@endpoint("GET", "/version", permission=perms.Anybody())
def version(ctx, params):  # pylint: disable=unused-argument
    return {"version": VERSION, "release": RELEASE, "repoid": REPOID}
