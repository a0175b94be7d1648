"""
Manage Proxmox Backup Server users declaratively.

.. code-block:: sls

    backup@pbs:
      pbs_user.present:
        - email: ops@example.com
        - firstname: Backup
        - lastname: Operator
        - comment: PVE backups
        - expire: 0                  # never
        - enable: true
        - password: {{ pillar['pbs_secrets']['backup_password'] | yaml_encode }}
        - update_secret: on_change

    alice@pam:
      pbs_user.present:
        - comment: Admin (PAM password, managed on the host)

    old@pbs:
      pbs_user.absent
"""

from saltext.pbs.utils import docs
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.flows import users as user_flows
from saltext.pbs.utils.kinds import users

__virtualname__ = "pbs_user"


def __virtual__():
    if "pbs_user.get" not in __salt__:
        return False, "the pbs_user execution module is not available"
    return __virtualname__


def present(name, profile=None, update_secret="on_change", **properties):
    """
    Ensure user ``name`` exists with the given properties.

    Only the properties given are managed; one set to ``null`` is cleared.

    name
        User id ``name@realm`` (3 to 64 characters); the realm must exist.

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    update_secret
        When to send ``password`` for an existing user: ``on_change`` (default: when it
        differs from the last value applied from this minion; a user adopted with no record
        counts as changed once), ``always`` or ``on_create``. PBS never returns passwords.
        Changing the password of an existing user goes through ``PUT /access/password``,
        which PBS refuses to API tokens: use a profile with username/password (its password
        is sent as confirmation unless it is ``root@pam``), or ``on_create``.

    {{properties}}

    {{privileges:present}}

    .. code-block:: sls

        backup@pbs:
          pbs_user.present:
            - comment: PVE backups
            - password: {{ pillar['pbs_secrets']['backup_password'] | yaml_encode }}
    """
    return user_flows.user_present(
        name,
        properties,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
        update_secret=update_secret,
    )


def absent(name, profile=None):
    """
    Ensure user ``name`` does not exist. PBS also deletes its API tokens with their ACL
    entries; the user's own ACL entries stay until removed (``pbs_acl.absent``).

    name
        User id ``name@realm``.

    profile
        Connection profile name or dict.

    {{privileges:absent}}

    .. code-block:: yaml

        old@pbs:
          pbs_user.absent
    """
    return reconcile.absent(
        users.USER,
        name,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
    )


docs.render(globals(), "user")
