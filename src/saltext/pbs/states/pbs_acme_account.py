"""
Manage Proxmox Backup Server ACME accounts declaratively.

``present`` registers the account at the CA (a task PBS runs; waited for) and later keeps
its contact addresses; ``absent`` deactivates it at the CA.

.. code-block:: sls

    acme-default:
      pbs_acme_account.present:
        - name: default
        - contact:
          - admin@example.com
          - ops@example.com
        - directory: https://acme-v02.api.letsencrypt.org/directory
        - tos_url: https://letsencrypt.org/documents/LE-SA-v1.5-February-24-2025.pdf

    acme-with-eab:
      pbs_acme_account.present:
        - name: zerossl
        - contact: admin@example.com
        - directory: https://acme.zerossl.com/v2/DV90
        - eab_kid: {{ pillar['acme']['eab_kid'] | yaml_encode }}
        - eab_hmac_key: {{ pillar['acme']['eab_hmac_key'] | yaml_encode }}

    acme-old:
      pbs_acme_account.absent:
        - name: old-account
        - force: true
"""

from saltext.pbs.utils import docs
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.kinds import acme

__virtualname__ = "pbs_acme_account"


def __virtual__():
    if "pbs_acme_account.get" not in __salt__:
        return False, "the pbs_acme_account execution module is not available"
    return __virtualname__


def present(name, profile=None, update_secret="on_change", task_timeout=None, **properties):
    """
    Ensure ACME account ``name`` is registered with the given properties. Only
    ``contact`` can change after registration (PBS updates it at the CA); the others are
    compared and a difference fails the state (an account is never re-registered).

    name
        Account name (letters, digits, ``_``, ``.``, ``-``; PBS's usual one is
        ``default``).

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    update_secret
        Accepted like on every ``present`` state; ``eab_hmac_key`` is used at registration
        only.

    task_timeout
        Seconds to wait for the PBS task the state starts (default 1800); the task goes on
        on PBS when the wait ends, and the state fails saying so.

    {{properties}}

    {{privileges:present}}

    .. code-block:: yaml

        acme-default:
          pbs_acme_account.present:
            - name: default
            - contact: admin@example.com
            - tos_url: https://letsencrypt.org/documents/LE-SA-v1.5-February-24-2025.pdf
    """
    return reconcile.present(
        acme.ACCOUNT,
        name,
        properties,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
        update_secret=update_secret,
        task_timeout=task_timeout,
    )


def absent(name, profile=None, force=False, task_timeout=None):
    """
    Ensure ACME account ``name`` does not exist: it is deactivated at the CA (a task, waited
    for) and removed from PBS.

    name
        Account name.

    profile
        Connection profile name or dict.

    force
        Remove the account from PBS even when the CA refuses to deactivate it.

    task_timeout
        Seconds to wait for the PBS task the state starts (default 1800); the task goes on
        on PBS when the wait ends, and the state fails saying so.

    {{privileges:absent}}

    .. code-block:: yaml

        acme-old:
          pbs_acme_account.absent:
            - name: old-account
    """
    return reconcile.absent(
        acme.ACCOUNT,
        name,
        {"force": force},
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
        task_timeout=task_timeout,
    )


docs.render(globals(), "acme_account")
