"""
Manage Proxmox Backup Server tape media pools declaratively.

.. code-block:: yaml

    weekly:
      pbs_media_pool.present:
        - allocation: sat 18:00
        - retention: 4 weeks
        - template: weekly-%Y-%m-%d
        - encrypt: {{ pillar['tape']['key_fingerprint'] }}
        - comment: Weekly full backups

    archive:
      pbs_media_pool.present:
        - allocation: always
        - retention: keep
        - encrypt: null                # null clears a property

    old-pool:
      pbs_media_pool.absent: []
"""

from saltext.pbs.utils import docs
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.kinds import tape

KIND = tape.MEDIA_POOL

__virtualname__ = "pbs_media_pool"


def __virtual__():
    if "pbs_media_pool.get" not in __salt__:
        return False, "the pbs_media_pool execution module is not available"
    return __virtualname__


def present(name, profile=None, update_secret="on_change", **properties):
    """
    Ensure media pool ``name`` exists with the given properties.

    Only the properties given are managed; one set to ``null`` is cleared.

    name
        Pool name (2 to 32 characters: letters, digits, ``_``, ``.``, ``-``).

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    update_secret
        Accepted like on every ``present`` state; this kind has no write-only property.

    {{properties}}

    {{privileges:present}}

    .. code-block:: yaml

        weekly:
          pbs_media_pool.present:
            - allocation: sat 18:00
            - retention: 4 weeks
    """
    return reconcile.present(
        KIND,
        name,
        properties,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
        update_secret=update_secret,
    )


def absent(name, profile=None):
    """
    Ensure media pool ``name`` does not exist.

    name
        Pool name (2 to 32 characters: letters, digits, ``_``, ``.``, ``-``).

    profile
        Connection profile name or dict.

    {{privileges:absent}}

    .. code-block:: yaml

        old-weekly:
          pbs_media_pool.absent:
            - name: weekly
    """
    return reconcile.absent(
        KIND,
        name,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
    )


docs.render(globals(), "media_pool")
