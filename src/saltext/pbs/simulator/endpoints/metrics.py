"""Metric servers: ``/config/metrics/influxdb-http``, ``/config/metrics/influxdb-udp`` and
``GET /admin/metrics``.

PBS src/api2/config/metrics/*.rs, src/api2/admin/metrics.rs; types from pbs-api-types
metrics.rs. Both types live in ``metricserver.cfg`` and share one name space and one
digest. ``enable`` is serialised only when false (``skip_serializing_if = is_true``), so
``enable: true`` is never stored nor returned and ``delete=enable`` means true again. The
HTTP ``token`` is kept in the same file (it is part of the digest) but stripped from every
answer. Create and update test the connection of an enabled server; the simulated test fails
for servers listed in ``state.runtime["metrics-unreachable"]`` (``{<url or host>: reason}``).
Deleting by name removes the entry whatever its type (PBS removes the section by name).
"""

from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema as s
from saltext.pbs.simulator.collections import Collection
from saltext.pbs.simulator.collections import check_digest
from saltext.pbs.simulator.endpoints.s3 import HOST_PORT_RE
from saltext.pbs.simulator.endpoints.s3 import HTTP_URL_RE
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.router import endpoint

FILE = "metricserver.cfg"
AUDIT = perms.Privilege("/", "Sys.Audit")
MODIFY = perms.Privilege("/", "Sys.Modify")

HTTP_PROPS = {
    "enable": s.boolean(),
    "url": s.string(pattern=HTTP_URL_RE).req(),
    "token": s.string(),
    "bucket": s.string(min_length=1, max_length=32),
    "organization": s.string(min_length=1, max_length=32),
    "max-body-size": s.integer(minimum=0),  # usize
    "verify-tls": s.boolean(),
    "comment": s.COMMENT,
}
UDP_PROPS = {
    "enable": s.boolean(),
    "host": s.string(pattern=HOST_PORT_RE).req(),
    "mtu": s.integer(minimum=0, maximum=65535),  # u16
    "comment": s.COMMENT,
}


def unreachable(state):
    return state.runtime.setdefault("metrics-unreachable", {})


def _check_connection(ctx, data, key, template):
    if data.get("enable", True) is False:
        return
    reason = unreachable(ctx.state).get(data[key])
    if reason:
        raise ApiError(400, template.format(server=data[key], reason=reason))


def _hooks(key, template):
    """on_create/on_update: drop ``enable: true`` (never serialised), test the server."""

    def finish(ctx, name, data, *rest):
        if data.get("enable") is True:
            del data["enable"]
        _check_connection(ctx, data, key, template)

    return finish


class MetricServers(Collection):
    """Token kept in the config file; delete by name regardless of the type."""

    def _split_secrets(self, data):
        return {}

    def do_delete(self, ctx, params):
        name = params["name"]
        cfg = self.cfg(ctx)
        check_digest(cfg, params.get("digest"))
        if cfg.get(name) is None:
            raise ApiError(400, f"name '{name}' does not exist.")
        cfg.remove(name)


def _collection(section_type, props, deletable, secrets, key, template):
    hook = _hooks(key, template)
    return MetricServers(
        file=FILE,
        section_type=section_type,
        base=f"/config/metrics/{section_type}",
        id_param="name",
        id_schema=s.safe_id(3, 32),
        props=props,
        deletable=deletable,
        secrets=secrets,
        exists="metric server '{id}' already exists.",
        exists_is_param=False,
        perm_list=AUDIT,
        perm_read=AUDIT,
        perm_create=MODIFY,
        perm_modify=MODIFY,
        on_create=hook,
        on_update=hook,
    ).register()


INFLUXDB_HTTP = _collection(
    "influxdb-http",
    HTTP_PROPS,
    ("enable", "token", "bucket", "organization", "max-body-size", "verify-tls", "comment"),
    ("token",),
    "url",
    "could not connect to {server}: {reason}",
)
INFLUXDB_UDP = _collection(
    "influxdb-udp",
    UDP_PROPS,
    ("enable", "mtu", "comment"),
    (),
    "host",
    "cannot connect to {server}: {reason}",
)


@endpoint("GET", "/admin/metrics", params=None, permission=AUDIT)
def list_metric_servers(ctx, params):
    """MetricServerInfo of every server: name, type, enable (only when false), server."""
    cfg = ctx.state.file(FILE)
    out = []
    for name, entry in cfg.items("influxdb-http", "influxdb-udp"):
        item = {"name": name, "type": entry["type"]}
        if "enable" in entry:
            item["enable"] = entry["enable"]
        item["server"] = entry.get("url") or entry.get("host")
        if entry.get("comment"):
            item["comment"] = entry["comment"]
        out.append(item)
    ctx.attrs["digest"] = cfg.digest()
    return out
