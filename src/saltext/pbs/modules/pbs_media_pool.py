"""
Manage the tape media pools of Proxmox Backup Server (``/config/media-pool``).

See :py:func:`saltext.pbs.states.pbs_media_pool.present` for every property.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import docs
from saltext.pbs.utils import objects
from saltext.pbs.utils.kinds import tape

KIND = tape.MEDIA_POOL

__virtualname__ = "pbs_media_pool"
__func_alias__ = {"list_": "list"}


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def list_(profile=None):
    """
    List the media pools the caller may see.

    {{privilege:list}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_media_pool.list
    """
    return objects.list_objects(_client(profile), KIND)


def get(name, profile=None):
    """
    Return the configuration of media pool ``name``, or ``None`` if it does not exist.

    {{privilege:get}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_media_pool.get weekly
    """
    return objects.get_object(_client(profile), KIND, name)


def create(name, profile=None, **properties):
    """
    Create media pool ``name``; every property is optional. Returns the new configuration.

    {{privilege:create}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_media_pool.create weekly allocation='sat 18:00' \\
            retention='4 weeks' template='weekly-%Y-%m-%d'
    """
    return objects.create_object(_client(profile), KIND, name, properties)


def update(name, profile=None, **properties):
    """
    Update media pool ``name``; a property set to ``None`` is cleared. Returns the new
    configuration.

    {{privilege:update}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_media_pool.update weekly retention=keep encrypt=None
    """
    return objects.update_object(_client(profile), KIND, name, properties)


def delete(name, profile=None):
    """
    Delete media pool ``name``.

    {{privilege:delete}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_media_pool.delete weekly
    """
    return objects.delete_object(_client(profile), KIND, name)


docs.render(globals(), "media_pool")
