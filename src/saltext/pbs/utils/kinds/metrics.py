"""
Catalog entry of metric servers (``/config/metrics/influxdb-http`` and
``/config/metrics/influxdb-udp``), a typed kind: ``type`` chooses the variant.

Both types share one configuration file and one name space. PBS omits ``enable`` from
reads when it is true (the default), and tests the connection on create and update when
the server is enabled (``enable: false`` skips the test). The HTTP ``token`` is write-only.
"""

from saltext.pbs.utils.catalog import COMMENT
from saltext.pbs.utils.catalog import Kind
from saltext.pbs.utils.catalog import Prop
from saltext.pbs.utils.kinds import common

DIGEST_GROUP = "metricserver"
PRIVILEGES = {
    "list": "``Sys.Audit`` on ``/``",
    "get": "``Sys.Audit`` on ``/``",
    "create": "``Sys.Modify`` on ``/``",
    "update": "``Sys.Modify`` on ``/``",
    "delete": "``Sys.Modify`` on ``/``",
}
ENABLE = Prop(
    "enable",
    "boolean",
    doc="Send metrics to the server (default true)",
    default=True,
    deletable=True,
)


def _variant(type_name, checks, props):
    return Kind(
        name="metrics_server",
        title=f"Metrics server ({type_name})",
        collection=f"/config/metrics/{type_name}",
        item=f"/config/metrics/{type_name}/{{name}}",
        id_prop=common.NAME_ID,
        digest_group=DIGEST_GROUP,
        checks=checks,
        privileges=PRIVILEGES,
        props=(ENABLE, *props, COMMENT),
    )


INFLUXDB_HTTP = _variant(
    "influxdb-http",
    (common.format_check(url=common.check_http_url),),
    (
        Prop(
            "url",
            doc="InfluxDB HTTP(S) API URL, ``http(s)://host[:port][/path]``",
            required=True,
        ),
        Prop(
            "token",
            doc="InfluxDB API token",
            secret=True,
            deletable=True,
        ),
        Prop(
            "organization",
            doc="InfluxDB organization (default ``proxmox``)",
            min_length=1,
            max_length=32,
            default="proxmox",
            deletable=True,
        ),
        Prop(
            "bucket",
            doc="InfluxDB bucket (default ``proxmox``)",
            min_length=1,
            max_length=32,
            default="proxmox",
            deletable=True,
        ),
        Prop(
            "max-body-size",
            "integer",
            doc="Largest request body in bytes (default 25000000)",
            minimum=1,
            default=25000000,
            deletable=True,
        ),
        Prop(
            "verify-tls",
            "boolean",
            doc="Verify the server's TLS certificate (default true)",
            default=True,
            deletable=True,
        ),
    ),
)

INFLUXDB_UDP = _variant(
    "influxdb-udp",
    (common.format_check(host=common.check_host_port),),
    (
        Prop(
            "host",
            doc="``host:port`` of the InfluxDB UDP listener (an IPv6 address in brackets)",
            required=True,
        ),
        Prop(
            "mtu",
            "integer",
            doc="Largest UDP packet in bytes (default 1500)",
            minimum=1,
            maximum=65535,
            default=1500,
            deletable=True,
        ),
    ),
)

METRICS_SERVER = Kind(
    name="metrics_server",
    title="Metrics server",
    collection="/config/metrics",
    item=None,
    props=(),
    types={"influxdb-http": INFLUXDB_HTTP, "influxdb-udp": INFLUXDB_UDP},
    digest_group=DIGEST_GROUP,
    privileges=PRIVILEGES,
)
