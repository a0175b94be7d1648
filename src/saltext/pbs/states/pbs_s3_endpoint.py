"""
Manage Proxmox Backup Server S3 endpoints declaratively.

.. code-block:: yaml

    minio:
      pbs_s3_endpoint.present:
        - endpoint: minio.example.com
        - port: 9000
        - region: eu-central-1
        - path_style: true
        - access_key: pbs-backup
        - secret_key: {{ pillar['s3']['secret_key'] }}
        - fingerprint: {{ pillar['s3']['fingerprint'] }}   # self-signed certificate
        - rate_in: 100 MB
        - burst_in: 200 MB
        - rate_out: 50 MB
        - burst_out: 100 MB
        - provider_quirks:
          - skip-if-none-match-header
        - put_rate_limit: 100          # at creation only
        - update_secret: on_change

    aws:
      pbs_s3_endpoint.present:
        # Jinja would expand the PBS placeholders in braces: keep them raw
        - endpoint: "{% raw %}{{bucket}}.s3.{{region}}.amazonaws.com{% endraw %}"
        - region: us-east-1
        - access_key: AKIAEXAMPLE
        - secret_key: {{ pillar['aws']['secret_key'] }}
        - rate_in: null                # null clears a property

    old-endpoint:
      pbs_s3_endpoint.absent: []
"""

from saltext.pbs.utils import reconcile
from saltext.pbs.utils.kinds.s3 import S3_ENDPOINT

__virtualname__ = "pbs_s3_endpoint"


def __virtual__():
    if "pbs_s3_endpoint.get" not in __salt__:
        return False, "the pbs_s3_endpoint execution module is not available"
    return __virtualname__


def present(name, profile=None, update_secret="on_change", **properties):
    """
    Ensure S3 endpoint ``name`` exists with the given properties.

    Only the properties given are managed; one set to ``null`` is cleared.

    name
        Endpoint id (3 to 32 characters: letters, digits, ``_``, ``.``, ``-``).

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    update_secret
        When to send ``secret_key`` to an existing endpoint: ``on_change`` (default: when
        it differs from the last value applied from this minion), ``always`` or
        ``on_create``. PBS never returns the secret, so it cannot be compared.

    endpoint
        Host name of the object store, without scheme or port. It may start with
        ``{{bucket}}.`` and contain ``{{region}}`` labels (virtual-host addressing), or be
        an IP address. Required to create.

    access_key
        Access key. Required to create.

    secret_key
        Secret key; write-only (shown as ``<hidden>``). Required to create; cannot be
        cleared.

    region
        Region name (lower-case letters, digits, ``-``, ``_``; at most 32 characters).

    port
        Port of the object store (1-65535; the scheme's default when unset).

    path_style
        Address buckets by path (``host/bucket``) instead of virtual host (default false).

    fingerprint
        SHA-256 fingerprint of the object store's TLS certificate, to trust a
        self-signed one.

    rate_in, burst_in, rate_out, burst_out
        Rate limits and burst sizes for traffic with the store, sizes such as ``10 MB``
        or ``1 GiB`` (compared after normalisation: ``10M`` equals ``10 MB``).

    provider_quirks
        List (compared as a set) of ``skip-if-none-match-header`` and
        ``delete-objects-via-delete-object``.

    put_rate_limit
        Maximum PUT requests per second. Only at creation: PBS 4.2 ignores it on update,
        so a different value fails the state instead of flapping.

    Requires ``Sys.Audit`` on ``/system/s3-endpoint/{name}`` to read and ``Sys.Modify`` on
    ``/system/s3-endpoint`` to create or ``/system/s3-endpoint/{name}`` to update.

    .. code-block:: yaml

        minio:
          pbs_s3_endpoint.present:
            - endpoint: minio.example.com
            - port: 9000
            - path_style: true
            - access_key: pbs-backup
            - secret_key: {{ pillar['s3']['secret_key'] }}
    """
    return reconcile.present(
        S3_ENDPOINT,
        name,
        properties,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
        update_secret=update_secret,
    )


def absent(name, profile=None):
    """
    Ensure S3 endpoint ``name`` does not exist. PBS refuses to delete an endpoint that a
    datastore uses as its backend.

    name
        Endpoint id.

    profile
        Connection profile name or dict.

    Requires ``Sys.Modify`` on ``/system/s3-endpoint/{name}``.

    .. code-block:: yaml

        old-endpoint:
          pbs_s3_endpoint.absent: []
    """
    return reconcile.absent(
        S3_ENDPOINT,
        name,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
    )
