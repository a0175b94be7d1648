"""
What users, API tokens and ACL entries share: the superuser, PBS's built-in roles, and how
an auth id names a user or a token.

The kinds themselves are in :mod:`~saltext.pbs.utils.kinds.users`,
:mod:`~saltext.pbs.utils.kinds.tokens` and :mod:`~saltext.pbs.utils.kinds.acl`; what they
do beyond the common read-diff-write is in :mod:`saltext.pbs.utils.flows`.
"""

SUPERUSER = "root@pam"
USER_CFG = "user_cfg"  # users and tokens share PBS's user.cfg (one digest)

# Built-in roles and their privileges (PBS has no custom roles).
ROLES = {
    "Admin": ("*",),
    "Audit": ("Sys.Audit", "Datastore.Audit"),
    "NoAccess": (),
    "DatastoreAdmin": (
        "Datastore.Audit",
        "Datastore.Modify",
        "Datastore.Read",
        "Datastore.Verify",
        "Datastore.Backup",
        "Datastore.Prune",
    ),
    "DatastoreReader": ("Datastore.Audit", "Datastore.Read", "Datastore.Verify"),
    "DatastoreBackup": ("Datastore.Backup",),
    "DatastorePowerUser": ("Datastore.Backup", "Datastore.Prune"),
    "DatastoreAudit": ("Datastore.Audit",),
    "RemoteAudit": ("Remote.Audit",),
    "RemoteAdmin": ("Remote.Audit", "Remote.Modify", "Remote.Read"),
    "RemoteSyncOperator": ("Remote.Audit", "Remote.Read"),
    "RemoteSyncPushOperator": ("Remote.Audit", "Remote.DatastoreBackup"),
    "RemoteDatastorePowerUser": (
        "Remote.Audit",
        "Remote.DatastoreBackup",
        "Remote.DatastorePrune",
    ),
    "RemoteDatastoreAdmin": (
        "Remote.Audit",
        "Remote.DatastoreBackup",
        "Remote.DatastoreModify",
        "Remote.DatastorePrune",
    ),
    "TapeAudit": ("Tape.Audit",),
    "TapeAdmin": ("Tape.Audit", "Tape.Modify", "Tape.Read", "Tape.Write"),
    "TapeOperator": ("Tape.Audit", "Tape.Read", "Tape.Write"),
    "TapeReader": ("Tape.Audit", "Tape.Read"),
}


def split_authid(auth_id):
    """``(userid, tokenname)``; tokenname None for a user id."""
    at = auth_id.rfind("@")
    bang = auth_id.rfind("!")
    if bang > at >= 0:
        return auth_id[:bang], auth_id[bang + 1 :]
    return auth_id, None


def realm_of(userid):
    """The realm of ``name@realm`` (after the last ``@``)."""
    return userid.rpartition("@")[2]
