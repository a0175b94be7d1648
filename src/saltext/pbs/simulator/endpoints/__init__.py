"""Simulated PBS endpoints; importing this package registers every handler."""

from saltext.pbs.simulator.endpoints import access  # noqa: F401
from saltext.pbs.simulator.endpoints import acme  # noqa: F401
from saltext.pbs.simulator.endpoints import backup  # noqa: F401
from saltext.pbs.simulator.endpoints import datastore  # noqa: F401
from saltext.pbs.simulator.endpoints import datastore_runtime  # noqa: F401
from saltext.pbs.simulator.endpoints import disks  # noqa: F401
from saltext.pbs.simulator.endpoints import encryption_keys  # noqa: F401
from saltext.pbs.simulator.endpoints import host  # noqa: F401
from saltext.pbs.simulator.endpoints import jobs  # noqa: F401
from saltext.pbs.simulator.endpoints import metrics  # noqa: F401
from saltext.pbs.simulator.endpoints import namespace  # noqa: F401
from saltext.pbs.simulator.endpoints import network  # noqa: F401
from saltext.pbs.simulator.endpoints import node  # noqa: F401
from saltext.pbs.simulator.endpoints import node_config  # noqa: F401
from saltext.pbs.simulator.endpoints import notifications  # noqa: F401
from saltext.pbs.simulator.endpoints import realms  # noqa: F401
from saltext.pbs.simulator.endpoints import remote  # noqa: F401
from saltext.pbs.simulator.endpoints import s3  # noqa: F401
from saltext.pbs.simulator.endpoints import sync  # noqa: F401
from saltext.pbs.simulator.endpoints import tape  # noqa: F401
from saltext.pbs.simulator.endpoints import tape_media  # noqa: F401
from saltext.pbs.simulator.endpoints import tape_ops  # noqa: F401
from saltext.pbs.simulator.endpoints import tasks  # noqa: F401
from saltext.pbs.simulator.endpoints import tfa  # noqa: F401
from saltext.pbs.simulator.endpoints import traffic_control  # noqa: F401
