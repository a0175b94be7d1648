"""
Manage the ACME DNS challenge plugins of Proxmox Backup Server (``/config/acme/plugins``).

A plugin names a DNS API (``api``: ``cf``, ``ovh``, ...) and its credentials (``data``,
``{KEY: value}``). PBS returns the credentials in clear text; these functions show their
values as ``<hidden>`` unless ``show_data=True``. The built-in ``standalone`` (HTTP-01)
plugin is listed but cannot be changed. See
:py:func:`saltext.pbs.states.pbs_acme_plugin.present` for every property.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import docs
from saltext.pbs.utils import objects
from saltext.pbs.utils.kinds import acme

__virtualname__ = "pbs_acme_plugin"
__func_alias__ = {"list_": "list"}

KIND = acme.PLUGIN


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def list_(show_data=False, profile=None):
    """
    List the ACME plugins (the built-in ``standalone`` one included); ``data`` values are
    hidden unless ``show_data`` is true.

    {{privilege:list}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_acme_plugin.list
    """
    return [acme.plugin_view(p, show_data) for p in objects.list_objects(_client(profile), KIND)]


def get(name, show_data=False, profile=None):
    """
    Return ACME plugin ``name`` (``plugin``, ``type``, ``api``, ``data``,
    ``validation-delay``, ``disable``), or ``None`` if it does not exist; ``data`` values
    are hidden unless ``show_data`` is true.

    {{privilege:get}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_acme_plugin.get cloudflare
    """
    client = _client(profile)
    if name == "standalone":
        return next((p for p in objects.list_objects(client, KIND) if p["plugin"] == name), None)
    return acme.plugin_view(objects.get_object(client, KIND, name), show_data)


def create(name, profile=None, **properties):
    """
    Create DNS plugin ``name``; ``api`` and ``data`` are required. Returns the plugin
    (``data`` values hidden).

    {{privilege:create}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_acme_plugin.create cloudflare api=cf \\
            data='{CF_Token: "...", CF_Account_ID: "..."}' validation_delay=60
    """
    return acme.plugin_view(objects.create_object(_client(profile), KIND, name, properties))


def update(name, profile=None, **properties):
    """
    Update DNS plugin ``name``; ``validation_delay`` or ``disable`` set to ``None`` are
    cleared. Returns the plugin (``data`` values hidden).

    {{privilege:update}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_acme_plugin.update cloudflare disable=True
    """
    return acme.plugin_view(objects.update_object(_client(profile), KIND, name, properties))


def delete(name, profile=None):
    """
    Delete DNS plugin ``name``.

    {{privilege:delete}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_acme_plugin.delete cloudflare
    """
    return objects.delete_object(_client(profile), KIND, name)


def challenge_schema(profile=None):
    """
    List the DNS APIs PBS supports (``id`` to use as ``api``, ``name`` and the fields of
    their ``data``).

    Requires any authenticated user.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_acme_plugin.challenge_schema
    """
    return _client(profile).get("/config/acme/challenge-schema").data


docs.render(globals(), "acme_plugin")
