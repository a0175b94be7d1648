"""
Manage Proxmox Backup Server metric servers (InfluxDB over HTTP or UDP) declaratively.

.. code-block:: sls

    influx:
      pbs_metrics_server.present:
        - type: influxdb-http
        - url: https://influx.example.com:8086
        - organization: ops
        - bucket: pbs
        - token: {{ pillar['influx']['token'] | yaml_encode }}
        - max_body_size: 25000000
        - verify_tls: true
        - enable: true
        - comment: Central InfluxDB 2
        - update_secret: on_change

    influx-udp:
      pbs_metrics_server.present:
        - type: influxdb-udp
        - host: 10.0.0.5:8089
        - mtu: 1450
        - enable: false

    old-influx:
      pbs_metrics_server.absent:
        - type: influxdb-http
"""

from saltext.pbs.utils import docs
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.kinds.metrics import METRICS_SERVER

__virtualname__ = "pbs_metrics_server"


def __virtual__():
    if "pbs_metrics_server.get" not in __salt__:
        return False, "the pbs_metrics_server execution module is not available"
    return __virtualname__


def present(
    name, type=None, profile=None, update_secret="on_change", **properties
):  # pylint: disable=redefined-builtin
    """
    Ensure metric server ``name`` of ``type`` exists with the given properties.

    Only the properties given are managed; one set to ``null`` is cleared. PBS tests the
    connection when an enabled server is created or updated, so an unreachable server
    fails the state unless ``enable`` is false.

    name
        Server name (3 to 32 characters: letters, digits, ``_``, ``.``, ``-``); HTTP and
        UDP servers share one name space.

    type
        ``influxdb-http`` or ``influxdb-udp``. Required.

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    update_secret
        When to send ``token`` to an existing server: ``on_change`` (default: when it
        differs from the last value applied from this minion), ``always`` or
        ``on_create``. PBS never returns the token, so it cannot be compared.

    {{properties}}

    {{privileges:present}}

    .. code-block:: sls

        influx:
          pbs_metrics_server.present:
            - type: influxdb-http
            - url: https://influx.example.com:8086
            - token: {{ pillar['influx']['token'] | yaml_encode }}
    """
    return reconcile.present(
        METRICS_SERVER,
        name,
        {**properties, "type": type},
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
        update_secret=update_secret,
    )


def absent(name, type=None, profile=None):  # pylint: disable=redefined-builtin
    """
    Ensure metric server ``name`` of ``type`` does not exist.

    name
        Server name.

    type
        ``influxdb-http`` or ``influxdb-udp``. Optional: when omitted, the server is looked
        up among both types.

    profile
        Connection profile name or dict.

    {{privileges:absent}}

    .. code-block:: yaml

        old-influx:
          pbs_metrics_server.absent:
            - type: influxdb-http
    """
    return reconcile.absent(
        METRICS_SERVER,
        name,
        **reconcile.engine_args(__opts__, __context__, __salt__, profile),
        type_name=type,
    )


docs.render(globals(), "metrics_server")
