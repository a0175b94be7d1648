"""
Manage Proxmox Backup Server S3 endpoints declaratively.

.. code-block:: sls

    minio:
      pbs_s3_endpoint.present:
        - endpoint: minio.example.com
        - port: 9000
        - region: eu-central-1
        - path_style: true
        - access_key: pbs-backup
        - secret_key: {{ pillar['s3']['secret_key'] | yaml_encode }}
        - fingerprint: {{ pillar['s3']['fingerprint'] | yaml_encode }}   # self-signed certificate
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
        - secret_key: {{ pillar['aws']['secret_key'] | yaml_encode }}
        - rate_in: null                # null clears a property

    old-endpoint:
      pbs_s3_endpoint.absent: []
"""

from saltext.pbs.utils import docs
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

    {{properties}}

    {{privileges:present}}

    .. code-block:: sls

        minio:
          pbs_s3_endpoint.present:
            - endpoint: minio.example.com
            - port: 9000
            - path_style: true
            - access_key: pbs-backup
            - secret_key: {{ pillar['s3']['secret_key'] | yaml_encode }}
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

    {{privileges:absent}}

    .. code-block:: yaml

        old-endpoint:
          pbs_s3_endpoint.absent: []
    """
    return reconcile.absent(
        S3_ENDPOINT,
        name,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
    )


docs.render(globals(), 's3_endpoint')
