"""
Read and change the WebAuthn (two-factor) relying-party settings of Proxmox Backup Server.

PBS lets only ``root@pam`` (with a password, not an API token) change them. Properties:
``rp`` (relying party name), ``origin`` (``https://host[:port]``, kept as an origin),
``id`` (relying party id, the domain) and ``allow_subdomains``.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import docs
from saltext.pbs.utils import objects
from saltext.pbs.utils.kinds import realms

__virtualname__ = "pbs_webauthn"

KIND = realms.WEBAUTHN


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def get(profile=None):
    """
    Return the WebAuthn settings, or ``None`` while they are not configured.

    {{privilege:get}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_webauthn.get
    """
    return objects.get_object(_client(profile), KIND)


def update(profile=None, **properties):
    """
    Change the WebAuthn settings; ``origin`` and ``allow_subdomains`` set to ``None`` are
    cleared. The first settings need ``rp`` and ``id``. Returns the settings.

    {{privilege:update}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_webauthn.update rp=pbs.example.com id=pbs.example.com \\
            origin=https://pbs.example.com:8007
    """
    client = _client(profile)
    realms.root_only(client)
    return objects.update_object(client, KIND, None, properties)


docs.render(globals(), "webauthn")
