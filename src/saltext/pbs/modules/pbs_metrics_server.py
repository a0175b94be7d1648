"""
Manage Proxmox Backup Server metric servers: InfluxDB over HTTP (``influxdb-http``) or UDP
(``influxdb-udp``), chosen by ``type``.

Properties use PBS's wire names with underscores for hyphens (``max_body_size``,
``verify_tls``; hyphens are accepted too). See
:py:func:`saltext.pbs.states.pbs_metrics_server.present` for every property. The HTTP
``token`` is write-only: PBS never returns it.

PBS tests the connection when an enabled server is created or updated; ``enable=False``
skips that test.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import docs
from saltext.pbs.utils import objects
from saltext.pbs.utils.kinds.metrics import METRICS_SERVER as KIND

__virtualname__ = "pbs_metrics_server"
__func_alias__ = {"list_": "list"}


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def list_(type=None, profile=None):  # pylint: disable=redefined-builtin
    """
    List the metric servers (without tokens), each with its ``type``; only those of
    ``type`` (``influxdb-http`` or ``influxdb-udp``) when given.

    {{privilege:list}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_metrics_server.list
        salt-call pbs_metrics_server.list type=influxdb-udp
    """
    client = _client(profile)
    types = [type] if type is not None else list(KIND.types)
    servers = []
    for type_name in types:
        variant = KIND.variant(type_name)
        servers.extend(
            {**server, "type": type_name} for server in objects.list_objects(client, variant)
        )
    return servers


def get(name, type=None, profile=None):  # pylint: disable=redefined-builtin
    """
    Return metric server ``name`` of ``type`` (without token), or ``None`` if it does not
    exist. Without ``type`` the server is looked up among both types and returned with its
    ``type``.

    {{privilege:get}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_metrics_server.get influx type=influxdb-http
        salt-call pbs_metrics_server.get influx
    """
    kind = KIND if type is None else KIND.variant(type)
    return objects.get_object(_client(profile), kind, name)


def create(name, type, profile=None, **properties):  # pylint: disable=redefined-builtin
    """
    Create metric server ``name`` of ``type``: ``influxdb-http`` needs ``url``,
    ``influxdb-udp`` needs ``host`` (``host:port``). Returns the new configuration.

    {{privilege:create}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_metrics_server.create influx type=influxdb-http \\
            url=https://influx.example.com:8086 organization=ops bucket=pbs token=...
        salt-call pbs_metrics_server.create influx-udp type=influxdb-udp host=10.0.0.5:8089
    """
    return objects.create_object(_client(profile), KIND.variant(type), name, properties)


def update(name, type, profile=None, **properties):  # pylint: disable=redefined-builtin
    """
    Update metric server ``name`` of ``type``; a property set to ``None`` is cleared.
    Returns the new configuration.

    {{privilege:update}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_metrics_server.update influx type=influxdb-http enable=False
    """
    return objects.update_object(_client(profile), KIND.variant(type), name, properties)


def delete(name, type, profile=None):  # pylint: disable=redefined-builtin
    """
    Delete metric server ``name`` of ``type``.

    {{privilege:delete}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_metrics_server.delete influx type=influxdb-http
    """
    return objects.delete_object(_client(profile), KIND.variant(type), name)


docs.render(globals(), "metrics_server")
