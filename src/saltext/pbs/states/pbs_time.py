"""
Manage the time zone of the Proxmox Backup Server node.

A singleton: one ``managed`` state, no ``absent``.

.. code-block:: yaml

    pbs-time:
      pbs_time.managed:
        - timezone: Europe/Vienna
"""

from saltext.pbs.utils import docs
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.kinds import node

__virtualname__ = "pbs_time"


def __virtual__():
    if "pbs_time.get" not in __salt__:
        return False, "the pbs_time execution module is not available"
    return __virtualname__


def managed(name="time", profile=None, **properties):
    """
    Ensure the node uses the given time zone.

    name
        Any state id; a node has one time zone.

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings;
        its ``node`` (default ``localhost``) is the node configured.

    {{properties}}

    {{privileges:managed}}

    .. code-block:: yaml

        pbs-time:
          pbs_time.managed:
            - timezone: Europe/Vienna
    """
    ret = reconcile.managed(
        node.TIME,
        properties,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
    )
    ret["name"] = name
    return ret


docs.render(globals(), "time")
