"""
Manage Proxmox Backup Server traffic control rules (rate limits by network, user and time).

Properties use PBS's wire names with underscores for hyphens (``rate_in``, ``burst_out``;
hyphens are accepted too). ``network``, ``users`` and ``timeframe`` are lists. See
:py:func:`saltext.pbs.states.pbs_traffic_control.present` for every property.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import docs
from saltext.pbs.utils import objects
from saltext.pbs.utils.kinds.traffic_control import TRAFFIC_CONTROL as KIND

__virtualname__ = "pbs_traffic_control"
__func_alias__ = {"list_": "list"}


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def list_(profile=None):
    """
    List the traffic control rules.

    {{privilege:list}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_traffic_control.list
    """
    return objects.list_objects(_client(profile), KIND)


def get(name, profile=None):
    """
    Return traffic control rule ``name``, or ``None`` if it does not exist.

    {{privilege:get}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_traffic_control.get office
    """
    return objects.get_object(_client(profile), KIND, name)


def create(name, profile=None, **properties):
    """
    Create traffic control rule ``name``; ``network`` (a list of CIDRs) is required.
    Returns the new rule.

    {{privilege:create}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_traffic_control.create office network='[10.0.0.0/8]' \\
            rate_in='10 MB' timeframe='["mon..fri 8:00-18:00"]'
    """
    return objects.create_object(_client(profile), KIND, name, properties)


def update(name, profile=None, **properties):
    """
    Update traffic control rule ``name``; a property set to ``None`` is cleared
    (``network`` cannot be cleared). Returns the new rule.

    {{privilege:update}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_traffic_control.update office rate_in='20 MB' timeframe=None
    """
    return objects.update_object(_client(profile), KIND, name, properties)


def delete(name, profile=None):
    """
    Delete traffic control rule ``name``.

    {{privilege:delete}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_traffic_control.delete office
    """
    return objects.delete_object(_client(profile), KIND, name)


def current(profile=None):
    """
    Show the rules with the traffic they currently see (``cur-rate-in``,
    ``cur-rate-out`` in bytes per second).

    {{privilege:current}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_traffic_control.current
    """
    return _client(profile).get("/admin/traffic-control").data


docs.render(globals(), "traffic_control")
