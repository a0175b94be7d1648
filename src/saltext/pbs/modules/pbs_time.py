"""
Read and change the time zone of the node of Proxmox Backup Server.

Properties: ``timezone``. See :py:func:`saltext.pbs.states.pbs_time.managed` for each one.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings. The node is the profile's ``node`` (default
``localhost``).
"""

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import docs
from saltext.pbs.utils import objects
from saltext.pbs.utils.kinds import node

__virtualname__ = "pbs_time"

KIND = node.TIME


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def get(profile=None):
    """
    Return ``timezone``, ``time`` (seconds since the epoch, UTC) and ``localtime``
    (the same in the node's time zone).

    {{privilege:get}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_time.get
    """
    return objects.get_object(_client(profile), KIND)


def update(profile=None, **properties):
    """
    Change the time zone (a tz database name PBS knows, e.g. ``Europe/Vienna``).
    Returns the new time settings.

    {{privilege:update}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_time.update timezone=Europe/Vienna
    """
    return objects.update_object(_client(profile), KIND, None, properties)


docs.render(globals(), "time")
