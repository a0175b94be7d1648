"""
Manage the second factors of Proxmox Backup Server users declaratively: TOTP entries and
recovery keys (the factor types an API client can add; WebAuthn, U2F and Yubico need a
browser or a hardware key).

A factor that exists is never re-created: that would break the user's authenticator app
or recovery sheet. Secrets go only to the sink named by ``secret_file`` (0600) or
``secret_sdb``, never to the state output.

.. code-block:: sls

    alice-recovery:
      pbs_tfa.present:
        - name: alice@pbs
        - type: recovery
        - secret_file: /root/pbs-tfa/alice.recovery

    alice-phone:
      pbs_tfa.present:
        - name: alice@pbs
        - type: totp
        - description: phone
        - secret: {{ pillar['pbs_tfa']['alice_phone_secret'] | yaml_encode }}

    alice-lost-phone:
      pbs_tfa.absent:
        - name: alice@pbs
        - description: old phone
"""

from saltext.pbs.utils import reconcile
from saltext.pbs.utils.flows import tfa as tfa_flows

__virtualname__ = "pbs_tfa"


def __virtual__():
    if "pbs_tfa.list" not in __salt__:
        return False, "the pbs_tfa execution module is not available"
    return __virtualname__


def present(
    name,
    type=None,  # pylint: disable=redefined-builtin
    description=None,
    enable=None,
    secret=None,
    secret_file=None,
    secret_sdb=None,
    password=None,
    profile=None,
    update_secret="on_change",
):
    """
    Ensure user ``name`` has a TOTP entry named ``description``, or recovery keys. An
    existing factor is left as it is (only a TOTP entry's ``enable`` is changed); its
    secret is never re-sent, so ``update_secret`` only accepts its default.

    name
        The user (``name@realm``).

    type
        ``totp`` or ``recovery``. Required.

    description
        TOTP only, required: the entry's name (up to 255 characters).

    enable
        TOTP only: false keeps the entry without asking for it at login.

    secret
        TOTP only: the base32 secret (from pillar or sdb). Without it a secret is
        generated and its ``otpauth://`` URI written to the sink.

    secret_file / secret_sdb
        Where a generated TOTP URI or the recovery keys are written (a 0600 file, one key
        per line, or an ``sdb://`` URI). Required for recovery keys.

    password
        The caller's own password, which PBS asks of every caller but ``root@pam`` (the
        profile's password is used when it logs in as that user).

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    Requires ``Permissions.Modify`` on ``/access/users``, or being that user.

    .. code-block:: yaml

        alice-recovery:
          pbs_tfa.present:
            - name: alice@pbs
            - type: recovery
            - secret_file: /root/pbs-tfa/alice.recovery
    """
    engine = reconcile.engine_args(__opts__, __context__, __salt__, profile)
    if update_secret != "on_change":
        return reconcile.failed(
            name,
            ValueError("pbs_tfa.present never re-sends a factor's secret: 'update_secret'"
                       " takes only on_change"),
        )
    try:
        sink = tfa_flows.FactorSink.from_args(secret_file, secret_sdb, __opts__, __utils__)
    except Exception as err:  # pylint: disable=broad-except
        return reconcile.failed(name, err)
    return tfa_flows.tfa_present(
        name, type, description, enable, secret, sink, password, **engine
    )


def absent(  # pylint: disable=redefined-builtin
    name, id=None, description=None, type=None, password=None, profile=None
):
    """
    Ensure the second factor of user ``name`` given by ``id``, by ``description`` or by
    ``type: recovery`` is removed (e.g. a lost phone). A state naming no factor fails: it
    never removes all of a user's factors.

    Requires ``Permissions.Modify`` on ``/access/users``, or being that user; callers
    other than ``root@pam`` give their own ``password``.

    .. code-block:: yaml

        alice-lost-phone:
          pbs_tfa.absent:
            - name: alice@pbs
            - description: old phone
    """
    engine = reconcile.engine_args(__opts__, __context__, __salt__, profile)
    return tfa_flows.tfa_absent(name, id, description, type, password, **engine)

