"""
Manage Proxmox Backup Server S3 endpoints (the object stores of S3-backed datastores).

Properties use PBS's wire names with underscores for hyphens (``access_key``,
``path_style``; hyphens are accepted too). See
:py:func:`saltext.pbs.states.pbs_s3_endpoint.present` for every property. The secret key
is write-only: PBS never returns it.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

from saltext.pbs.utils import catalog
from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import docs
from saltext.pbs.utils import objects
from saltext.pbs.utils.kinds import datastore as datastore_kind
from saltext.pbs.utils.kinds.s3 import S3_ENDPOINT as KIND

__virtualname__ = "pbs_s3_endpoint"
__func_alias__ = {"list_": "list"}


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def list_(profile=None):
    """
    List the S3 endpoints the caller may see (without their secret keys).

    {{privilege:list}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_s3_endpoint.list
    """
    return objects.list_objects(_client(profile), KIND)


def get(name, profile=None):
    """
    Return the configuration of S3 endpoint ``name`` (without the secret key), or ``None``
    if it does not exist.

    {{privilege:get}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_s3_endpoint.get minio
    """
    return objects.get_object(_client(profile), KIND, name)


def create(name, profile=None, **properties):
    """
    Create S3 endpoint ``name``; ``endpoint``, ``access_key`` and ``secret_key`` are
    required. Returns the new configuration. PBS does not contact the object store here.

    {{privilege:create}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_s3_endpoint.create minio endpoint=minio.example.com port=9000 \\
            access_key=AKIA... secret_key=... path_style=True
    """
    return objects.create_object(_client(profile), KIND, name, properties)


def update(name, profile=None, **properties):
    """
    Update S3 endpoint ``name``; a property set to ``None`` is cleared. Returns the new
    configuration. ``put_rate_limit`` can only be set at creation (PBS 4.2 ignores it on
    update) and ``secret_key`` cannot be cleared, only replaced.

    {{privilege:update}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_s3_endpoint.update minio rate_in='50 MB' region=None
    """
    return objects.update_object(_client(profile), KIND, name, properties)


def delete(name, profile=None):
    """
    Delete S3 endpoint ``name``. PBS refuses while a datastore uses it as its backend.

    {{privilege:delete}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_s3_endpoint.delete minio
    """
    return objects.delete_object(_client(profile), KIND, name)


def list_buckets(name, profile=None):
    """
    List the buckets the S3 endpoint ``name`` gives access to (PBS asks the object store
    now), as a list of bucket names.

    {{privilege:list_buckets}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_s3_endpoint.list_buckets minio
    """
    client = _client(profile)
    path = client.path("/config/s3/{name}/list-buckets", name=KIND.check_id(name))
    return [bucket.get("name") for bucket in client.get(path).data or []]



def _bucket_body(bucket, store_prefix):
    body = {"bucket": _BUCKET.coerce(bucket, "bucket")}
    if store_prefix is not None:
        body["store-prefix"] = catalog.Prop("store-prefix").coerce(store_prefix, "store_prefix")
    return body


# the bucket name rules of a datastore's S3 backend
_BUCKET = catalog.Prop(
    "bucket",
    pattern=datastore_kind._BUCKET_RE,  # pylint: disable=protected-access
    min_length=3,
    max_length=63,
)


def check(name, bucket, store_prefix=None, profile=None):
    """
    Check that S3 endpoint ``name`` works with ``bucket``: PBS sends a HEAD request for the
    bucket, then puts, reads and deletes a test object (under ``store_prefix``, commonly a
    datastore name). Returns ``True``; a failing step raises with PBS's message naming it
    (``head object failed``, ``put object failed``, ...).

    Requires ``Sys.Modify`` on ``/``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_s3_endpoint.check minio pbs-backups
        salt-call pbs_s3_endpoint.check minio pbs-backups store_prefix=offsite
    """
    client = _client(profile)
    path = client.path("/admin/s3/{name}/check", name=KIND.check_id(name))
    client.put(path, _bucket_body(bucket, store_prefix))
    return True


def reset_counters(name, bucket, store_prefix=None, profile=None):
    """
    Reset the S3 request counters PBS keeps for endpoint ``name`` and ``bucket`` (with
    ``store_prefix``, those of that datastore only). Returns ``True``; PBS refuses counters
    that do not exist (``Cannot find s3 counters file ...``).

    Requires ``Sys.Modify`` on ``/``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_s3_endpoint.reset_counters minio pbs-backups store_prefix=offsite
    """
    client = _client(profile)
    path = client.path("/admin/s3/{name}/reset-counters", name=KIND.check_id(name))
    client.put(path, _bucket_body(bucket, store_prefix))
    return True


docs.render(globals(), 's3_endpoint')
