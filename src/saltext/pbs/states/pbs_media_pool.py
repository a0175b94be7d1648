"""
Manage Proxmox Backup Server tape media pools declaratively.

.. code-block:: sls

    weekly:
      pbs_media_pool.present:
        - allocation: sat 18:00
        - retention: 4 weeks
        - template: weekly-%Y-%m-%d
        - encrypt: {{ pillar['tape']['key_fingerprint'] | yaml_encode }}
        - comment: Weekly full backups

    archive:
      pbs_media_pool.present:
        - allocation: always
        - retention: keep
        - encrypt: null                # null clears a property

    old-pool:
      pbs_media_pool.absent: []
"""

from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import docs
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.kinds import tape

KIND = tape.MEDIA_POOL

__virtualname__ = "pbs_media_pool"


def __virtual__():
    if "pbs_media_pool.get" not in __salt__:
        return False, "the pbs_media_pool execution module is not available"
    return __virtualname__


def present(name, profile=None, update_secret="on_change", encrypt_key=None, **properties):
    """
    Ensure media pool ``name`` exists with the given properties.

    Only the properties given are managed; one set to ``null`` is cleared.

    name
        Pool name (2 to 32 characters: letters, digits, ``_``, ``.``, ``-``).

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    update_secret
        Accepted like on every ``present`` state; this kind has no write-only property.

    encrypt_key
        Instead of ``encrypt``: the password hint of the tape encryption key to encrypt
        with, as a ``pbs_tape_key.present`` state names it. Its fingerprint is looked up
        when this state runs, so a key created earlier in the same run (``require`` its
        state) can be used. ``Tape.Audit`` on ``/tape/pool`` is needed to look it up.

    {{properties}}

    {{privileges:present}}

    .. code-block:: yaml

        weekly:
          pbs_media_pool.present:
            - allocation: sat 18:00
            - retention: 4 weeks
    """
    if encrypt_key is not None:
        resolved = _encrypt_with(name, encrypt_key, properties, profile)
        if isinstance(resolved, dict):
            return resolved
        properties["encrypt"] = resolved
    return reconcile.present(
        KIND,
        name,
        properties,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
        update_secret=update_secret,
    )


def _encrypt_with(name, hint, properties, profile):
    """The fingerprint of the tape key with password hint ``hint``, or a state return when
    there is none (a test run notes that an earlier state may create it)."""
    ret = {"name": name, "result": False, "changes": {}, "comment": ""}
    if any(key in properties for key in ("encrypt", "encrypt-key")):
        ret["comment"] = "Invalid value for 'encrypt_key': give either encrypt or encrypt_key"
        return ret
    try:
        key = __salt__["pbs_tape_key.find"](hint, profile=profile)
    except (CommandExecutionError, SaltInvocationError) as exc:
        ret["comment"] = str(exc).replace("'hint'", "'encrypt_key'")
        return ret
    if key is not None:
        return key["fingerprint"]
    missing = f"no tape encryption key has the hint {hint!r}"
    if __opts__["test"]:
        ret.update(result=None, changes={"encrypt": {"old": None, "new": f"<key {hint!r}>"}},
                   comment=f"Media pool {name!r} would encrypt with the key {hint!r}, but"
                   f" {missing} yet (an earlier state of this run may create it)")
        return ret
    ret["comment"] = f"Invalid value for 'encrypt_key': {missing}"
    return ret


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
