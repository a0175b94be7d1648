"""The catalog's data: one entry per PBS object kind, and the ordered registry of them all.

:data:`REGISTRY` lists every kind in an order in which applying their states on an empty
PBS works: a kind comes after the kinds it refers to (a token after its user, a job after
its datastore and remote, an ACL entry after the users and tokens it names). Export, the
reference docs and the conventions tests read it; a new kind is added here.
"""

from saltext.pbs.utils.kinds import acl
from saltext.pbs.utils.kinds import acme
from saltext.pbs.utils.kinds import datastore
from saltext.pbs.utils.kinds import jobs
from saltext.pbs.utils.kinds import metrics
from saltext.pbs.utils.kinds import namespace
from saltext.pbs.utils.kinds import network
from saltext.pbs.utils.kinds import node
from saltext.pbs.utils.kinds import notifications
from saltext.pbs.utils.kinds import realms
from saltext.pbs.utils.kinds import remote
from saltext.pbs.utils.kinds import s3
from saltext.pbs.utils.kinds import tape
from saltext.pbs.utils.kinds import tokens
from saltext.pbs.utils.kinds import traffic_control
from saltext.pbs.utils.kinds import users

REGISTRY = (
    realms.REALM,
    users.USER,
    tokens.TOKEN,
    s3.S3_ENDPOINT,
    datastore.DATASTORE,
    namespace.NAMESPACE,
    remote.REMOTE,
    traffic_control.TRAFFIC_CONTROL,
    metrics.METRICS_SERVER,
    notifications.NOTIFICATION_ENDPOINT,
    notifications.NOTIFICATION_MATCHER,
    jobs.SYNC_JOB,
    jobs.PRUNE_JOB,
    jobs.VERIFY_JOB,
    tape.MEDIA_POOL,
    tape.CHANGER,
    tape.DRIVE,
    tape.TAPE_BACKUP_JOB,
    acl.ACL,
    acme.ACCOUNT,
    acme.PLUGIN,
    realms.WEBAUTHN,
    node.NODE_CONFIG,
    node.DNS,
    node.TIME,
    network.INTERFACE,
)
BY_NAME = {kind.name: kind for kind in REGISTRY}


def by_name(name):
    """The kind called ``name`` (``KeyError`` for an unknown name)."""
    return BY_NAME[name]
