"""
Manage the WebAuthn (two-factor) relying-party settings of Proxmox Backup Server.

A singleton: one ``managed`` state, no ``absent``. PBS lets only ``root@pam`` (ticket
authentication with its password) change these settings.

.. code-block:: yaml

    pbs-webauthn:
      pbs_webauthn.managed:
        - rp: pbs.example.com
        - origin: https://pbs.example.com:8007
        - id: pbs.example.com
        - allow_subdomains: false
"""

from saltext.pbs.utils import docs
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.flows import realms

__virtualname__ = "pbs_webauthn"


def __virtual__():
    if "pbs_webauthn.get" not in __salt__:
        return False, "the pbs_webauthn execution module is not available"
    return __virtualname__


def managed(name="webauthn", profile=None, **properties):
    """
    Ensure the WebAuthn settings carry the given properties (only those given are
    managed; ``origin`` or ``allow_subdomains`` set to ``null`` are cleared).

    name
        Any state id; there is one set of settings.

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings;
        it must log in as ``root@pam`` with a password to change anything.

    {{properties}}

    {{privileges:managed}}

    .. code-block:: yaml

        pbs-webauthn:
          pbs_webauthn.managed:
            - rp: pbs.example.com
            - origin: https://pbs.example.com:8007
            - id: pbs.example.com
    """
    ret = realms.webauthn_managed(
        properties,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
    )
    ret["name"] = name
    return ret


docs.render(globals(), "webauthn")
