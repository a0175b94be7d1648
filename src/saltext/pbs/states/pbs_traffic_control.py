"""
Manage Proxmox Backup Server traffic control rules declaratively.

.. code-block:: yaml

    office-hours:
      pbs_traffic_control.present:
        - network:
          - 10.0.0.0/8
          - fd00::/8
        - rate_in: 100 MB
        - burst_in: 200 MB
        - rate_out: 50 MB
        - burst_out: 100 MB
        - users:
          - sync@pbs
        - timeframe:
          - mon..fri 8:00-18:00
        - comment: Keep the office line usable

    old-rule:
      pbs_traffic_control.absent: []
"""

from saltext.pbs.utils import docs
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.kinds.traffic_control import TRAFFIC_CONTROL

__virtualname__ = "pbs_traffic_control"


def __virtual__():
    if "pbs_traffic_control.get" not in __salt__:
        return False, "the pbs_traffic_control execution module is not available"
    return __virtualname__


def present(name, profile=None, update_secret="on_change", **properties):
    """
    Ensure traffic control rule ``name`` exists with the given properties.

    Only the properties given are managed; one set to ``null`` is cleared. Lists are
    compared as sets (order does not matter).

    name
        Rule name (3 to 32 characters: letters, digits, ``_``, ``.``, ``-``).

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    update_secret
        Accepted for uniformity with other kinds; traffic control rules have no secrets.

    {{properties}}

    {{privilege:list}}

    .. code-block:: yaml

        office-hours:
          pbs_traffic_control.present:
            - network: [10.0.0.0/8]
            - rate_in: 100 MB
            - timeframe: [mon..fri 8:00-18:00]
    """
    return reconcile.present(
        TRAFFIC_CONTROL,
        name,
        properties,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
        update_secret=update_secret,
    )


def absent(name, profile=None):
    """
    Ensure traffic control rule ``name`` does not exist.

    name
        Rule name.

    profile
        Connection profile name or dict.

    {{privileges:absent}}

    .. code-block:: yaml

        old-rule:
          pbs_traffic_control.absent: []
    """
    return reconcile.absent(
        TRAFFIC_CONTROL,
        name,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
    )


docs.render(globals(), "traffic_control")
