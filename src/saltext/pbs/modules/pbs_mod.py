"""
Core execution functions for Proxmox Backup Server: version, reachability, raw API
access, node status and tasks.

Connection settings come from the ``pbs`` configuration block (minion config and pillar,
read with ``config.get``); every function takes ``profile=`` to select a named profile or
pass a dict of connection settings. Errors raise
:class:`~saltext.pbs.utils.errors.PbsError` subclasses (``CommandExecutionError``).
"""

import logging

from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import config as pbs_config
from saltext.pbs.utils.catalog import SAFE_ID_RE
from saltext.pbs.utils.catalog import Prop
from saltext.pbs.utils import errors as pbs_errors
from saltext.pbs.utils import export as pbs_export
from saltext.pbs.utils.flows import plan as pbs_plan
from saltext.pbs.utils import upid as pbs_upid

log = logging.getLogger(__name__)

__virtualname__ = "pbs"


def __virtual__():
    # requests is a hard dependency of the package: nothing optional to probe.
    return __virtualname__


def _client(profile=None):
    return pbs_client.client_from_loader(__opts__, __context__, __salt__, profile)


# The query parameters of the task list, checked before the request (PBS's types and limits).
_TASK_FILTERS = (
    Prop("running", "boolean"),
    Prop("errors", "boolean"),
    Prop("userfilter"),
    Prop("typefilter"),
    Prop(
        "statusfilter",
        "array",
        items=Prop("statusfilter", enum=("ok", "warning", "error", "unknown")),
    ),
    Prop("since", "integer", minimum=0),
    Prop("until", "integer", minimum=0),
    Prop("store", pattern=SAFE_ID_RE, min_length=3, max_length=32),
    Prop("start", "integer", minimum=0),
    Prop("limit", "integer", minimum=0),
)
_PAGING = (Prop("start", "integer", minimum=0), Prop("limit", "integer", minimum=0))
# The journal's and the syslog's query parameters (PBS: src/api2/node/journal.rs, syslog.rs)
_JOURNAL = (
    Prop("since", "integer", minimum=0),
    Prop("until", "integer", minimum=0),
    Prop("lastentries", "integer", minimum=0),
    Prop("startcursor"),
    Prop("endcursor"),
)
_SYSLOG = (*_PAGING, Prop("since"), Prop("until"), Prop("service"))


def _query_params(props, values):
    """``values`` checked against ``props`` (raises naming the field); None values dropped."""
    return {
        prop.wire: prop.coerce(values[prop.wire], prop.wire)
        for prop in props
        if values.get(prop.wire) is not None
    }


def version(profile=None):
    """
    Return the PBS version: ``{"version": "4.2", "release": "3", "repoid": "..."}``.

    Requires any authenticated user or API token (no privilege).

    profile
        Name of a connection profile under ``pbs:profiles``, or a dict of connection
        settings. Defaults to the top-level ``pbs`` settings.

    CLI Example:

    .. code-block:: bash

        salt-call pbs.version
        salt-call pbs.version profile=offsite
    """
    return _client(profile).get("/version").data


# Connection settings that are credentials: never sent with the unauthenticated ping.
_CREDENTIALS = ("username", "password", "token_id", "token_secret")


def _reachable(probe):
    """``probe()``'s outcome as True, or False when PBS cannot be reached; a setup
    mistake (TLS, fingerprint, rejected credentials) raises."""
    try:
        probe()
    except pbs_errors.PbsConnectionError as exc:
        if exc.reason in ("unreachable", "timeout"):
            log.info("PBS did not answer: %s", exc)
            return False
        raise
    except pbs_errors.PbsServerError as exc:
        if exc.status in (502, 503, 504):
            log.info("PBS did not answer: %s", exc)
            return False
        raise
    return True


def ping(profile=None):
    """
    Check that the PBS API daemon answers, with PBS's unauthenticated ``GET /ping``: no
    credentials are sent (none are needed in the profile), so this says nothing about
    them; :py:func:`auth_check` does.

    Returns ``True`` when PBS answers ``{"pong": true}`` and ``False`` when PBS cannot be
    reached (connection refused, DNS failure, timeout, or a proxy answering 502/503/504).
    Raises on a TLS verification failure or a certificate fingerprint mismatch: those are
    configuration errors, not outages.

    Requires nothing: PBS lets anyone call ``/ping``.

    profile
        Connection profile name or dict (its URL, fingerprint, TLS and timeout settings).

    CLI Example:

    .. code-block:: bash

        salt-call pbs.ping
    """
    conf = pbs_config.resolve(__salt__["config.get"], __opts__, profile=profile, require_auth=False)
    anonymous = pbs_client.PbsClient({k: v for k, v in conf.items() if k not in _CREDENTIALS})
    try:
        return _reachable(lambda: anonymous.get("/ping"))
    finally:
        anonymous.close()


def auth_check(profile=None):
    """
    Check that PBS answers and accepts our credentials (this was ``pbs.ping`` before
    ``pbs.ping`` became PBS's unauthenticated ``/ping``).

    Returns ``True`` when an authenticated ``GET /version`` succeeds and ``False`` when
    PBS cannot be reached (connection refused, DNS failure, timeout, or a proxy answering
    502/503/504). Raises when PBS answers but something is wrong with the setup:
    rejected credentials, a TLS verification failure or a certificate fingerprint
    mismatch. Those are configuration errors, not outages.

    Requires any authenticated user or API token (no privilege).

    profile
        Connection profile name or dict.

    CLI Example:

    .. code-block:: bash

        salt-call pbs.auth_check
    """
    client = _client(profile)
    return _reachable(lambda: client.get("/version"))


def _api_path(path):
    if not isinstance(path, str) or not path.strip():
        raise SaltInvocationError("path must be a non-empty string such as /config/datastore")
    path = path.strip()
    if not path.startswith("/"):
        path = "/" + path
    if path.startswith("/api2/json/") or path == "/api2/json":
        path = path[len("/api2/json") :] or "/"
    return path


def query(method, path, params=None, data=None, full=False, profile=None):
    """
    Send a raw request to the PBS API, for anything not wrapped by a module yet.

    The path is relative to ``/api2/json`` (a leading ``/api2/json`` is removed); its
    segments must already be percent-encoded where needed. GET and DELETE send
    ``params`` as the query string; POST and PUT send ``data`` as a JSON body (``None``
    values are dropped, booleans and integers keep their JSON types).

    Requires whatever privilege PBS demands for ``path`` (see the PBS API viewer).

    method
        ``GET``, ``POST``, ``PUT`` or ``DELETE``.

    path
        API path, e.g. ``/config/datastore`` or ``/nodes/localhost/tasks``.

    params
        Dict of query parameters (lists become repeated keys, booleans ``1``/``0``).

    data
        Dict of body parameters for POST/PUT.

    full
        Return ``{"data": ..., "digest": ..., "total": ...}`` instead of only ``data``.
        Without it, a write PBS answers with no data returns ``True``.

    profile
        Connection profile name or dict.

    CLI Example:

    .. code-block:: bash

        salt-call pbs.query GET /config/datastore
        salt-call pbs.query GET /nodes/localhost/tasks params='{"limit": 5, "errors": true}'
        salt-call pbs.query PUT /config/datastore/store1 data='{"comment": "main store"}'
    """
    resp = _client(profile).request(str(method).upper(), _api_path(path), params=params,
                                    data=data)
    if full:
        return {"data": resp.data, "digest": resp.digest, "total": resp.total}
    if resp.data is None and str(method).upper() != "GET":
        return True  # PBS answers most writes with null: say that it succeeded
    return resp.data


def node_status(profile=None):
    """
    Return the node status: CPU, memory, root file system, uptime, kernel, load average
    and the certificate fingerprint.

    Requires ``Sys.Audit`` on ``/system/status``.

    profile
        Connection profile name or dict. The node name is the profile's ``node``
        setting (default ``localhost``).

    CLI Example:

    .. code-block:: bash

        salt-call pbs.node_status
    """
    cli = _client(profile)
    return cli.get(cli.path("/nodes/{node}/status", node=cli.node)).data


def task_list(
    running=None,
    errors=None,
    userfilter=None,
    typefilter=None,
    statusfilter=None,
    since=None,
    until=None,
    store=None,
    start=None,
    limit=None,
    profile=None,
):
    """
    List tasks, newest first, with PBS's own filters.

    Requires no privilege for the caller's own tasks; ``Sys.Audit`` on ``/system/tasks``
    to see everyone's (PBS silently leaves out what the caller may not see).

    running
        ``True``: only running tasks.

    errors
        ``True``: only tasks that failed.

    userfilter
        Only tasks whose auth id contains this text.

    typefilter
        Only tasks whose worker type contains this text (e.g. ``garbage_collection``).

    statusfilter
        List of exit status classes: ``ok``, ``warning``, ``error``, ``unknown``.

    since, until
        Epoch seconds bounding the task start time.

    store
        Only tasks of this datastore.

    start, limit
        Paging: skip ``start`` tasks, return at most ``limit`` (PBS default 50,
        ``0`` = all).

    profile
        Connection profile name or dict.

    CLI Example:

    .. code-block:: bash

        salt-call pbs.task_list limit=10
        salt-call pbs.task_list errors=True since=1716500000
        salt-call pbs.task_list statusfilter='[error, warning]' store=store1
    """
    if isinstance(statusfilter, str):
        statusfilter = [item.strip() for item in statusfilter.split(",") if item.strip()]
    params = _query_params(
        _TASK_FILTERS,
        {
            "running": running,
            "errors": errors,
            "userfilter": userfilter,
            "typefilter": typefilter,
            "statusfilter": statusfilter,
            "since": since,
            "until": until,
            "store": store,
            "start": start,
            "limit": limit,
        },
    )
    cli = _client(profile)
    return cli.get(cli.path("/nodes/{node}/tasks", node=cli.node), params=params).data


def task_status(upid, profile=None):
    """
    Return the status of task ``upid``: ``status`` is ``running`` or ``stopped``; a
    stopped task has ``exitstatus`` (``OK``, ``WARNINGS: <n>`` or the error text).

    Requires the task to be the caller's own, or ``Sys.Audit`` on ``/system/tasks``.

    upid
        The PBS task id (``UPID:...:``).

    profile
        Connection profile name or dict.

    CLI Example:

    .. code-block:: bash

        salt-call pbs.task_status 'UPID:pbs1:000004D2:0001E240:0000002A:6650A1B2:aptupdate::root@pam:'
    """
    cli = _client(profile)
    return cli.get(cli.task_path(upid, "/status")).data


def task_log(upid, start=0, limit=0, profile=None):
    """
    Return the log lines of task ``upid`` as a list of strings.

    Requires the task to be the caller's own, or ``Sys.Audit`` on ``/system/tasks``.

    upid
        The PBS task id.

    start
        Skip this many lines.

    limit
        Return at most this many lines (``0``, the default, returns all).

    profile
        Connection profile name or dict.

    CLI Example:

    .. code-block:: bash

        salt-call pbs.task_log 'UPID:pbs1:000004D2:0001E240:0000002A:6650A1B2:aptupdate::root@pam:'
    """
    params = _query_params(_PAGING, {"start": start, "limit": limit})
    cli = _client(profile)
    lines = cli.get(cli.task_path(upid, "/log"), params=params).data
    return [line.get("t", "") if isinstance(line, dict) else str(line) for line in lines or []]


def task_wait(upid, timeout=None, poll_interval=None, profile=None):
    """
    Wait for task ``upid`` to finish and return its final status. The task log is
    written to the minion log (info level) as it grows.

    Raises when the task fails (with the tail of its log) or is still running after
    ``timeout`` seconds; the task keeps running on PBS in that case.

    Requires the task to be the caller's own, or ``Sys.Audit`` on ``/system/tasks``.

    upid
        The PBS task id.

    timeout
        Seconds to wait (default 1800).

    poll_interval
        Seconds between status polls (default: start at 0.1 s, growing to 2 s).

    profile
        Connection profile name or dict.

    CLI Example:

    .. code-block:: bash

        salt-call pbs.task_wait 'UPID:pbs1:000004D2:0001E240:0000002A:6650A1B2:aptupdate::root@pam:'
    """
    return _client(profile).wait_task(upid, timeout=timeout, poll_interval=poll_interval)


def task_stop(upid, profile=None):
    """
    Ask PBS to abort the running task ``upid``. Returns ``True`` once PBS accepted the
    request; the task stops shortly after.

    Requires the task to be the caller's own, or ``Sys.Modify`` on ``/system/tasks``.

    upid
        The PBS task id.

    profile
        Connection profile name or dict.

    CLI Example:

    .. code-block:: bash

        salt-call pbs.task_stop 'UPID:pbs1:000004D2:0001E240:0000002A:6650A1B2:aptupdate::root@pam:'
    """
    pbs_upid.parse_upid(upid)
    cli = _client(profile)
    cli.delete(cli.task_path(upid))
    return True


def export(kinds=None, profile=None, pillar_key="pbs_secrets", write_to=None, secret_dir=None):
    """
    Export the configuration of a hand-built PBS as Salt states, so that it can be managed
    from then on. Returns ``{"sls": <SLS text>, "pillar": <pillar template text>,
    "objects": <number of states>, "skipped": [{"kind", "name", "reason"}, ...]}``.

    The SLS has one ``pbs_<kind>.present`` (singletons: ``managed``) state per object, with
    every property that differs from the server default, in an order in which applying it
    works (datastores before their namespaces and jobs, users before API tokens before ACL
    entries, remotes before sync jobs, notification endpoints before matchers, S3 endpoints
    before S3 datastores). Built-in objects in their default configuration (``root@pam``,
    ``mail-to-root``, ``default-matcher``) are left out. Write-only secrets, which PBS
    never returns, are read from pillar with ``{{ pillar['pbs_secrets'][...] | yaml_encode }}``
    (item access: Salt 3008 masks the values ``pillar.get`` returns outside template
    rendering, item access always gives the real value, and a missing key fails the render
    instead of sending an empty secret); the pillar template lists those keys with empty
    values. API tokens are exported with a placeholder ``secret_file`` under
    ``secret_dir``: an existing token secret cannot be read back. See the export topic of
    the documentation for the whole workflow.

    Requires read access to everything exported. PBS filters many lists by privilege
    without an error (a caller without ``Remote.Audit`` sees no remotes and no sync jobs),
    so grant: ``Sys.Audit`` and ``Datastore.Audit`` on ``/`` (the ``Audit`` role:
    datastores, namespaces, jobs, S3 endpoints, metric servers, notifications, users,
    API tokens, ACL entries, node configuration, DNS), ``Remote.Audit`` on ``/remote``
    (remotes, sync jobs), ``Tape.Audit`` on ``/tape`` (tape devices, pools, jobs),
    ``Realm.Allocate`` on ``/access/domains`` (realms), ``Sys.Modify`` on
    ``/system/certificates`` (ACME accounts and plugins) and ``Sys.Modify`` on ``/``
    (traffic control rules: PBS guards that list with the modify privilege). Lists PBS
    refuses are reported in ``skipped``.

    kinds
        Kinds to export, a list or comma-separated text (``datastore,sync_job``; the
        ``pbs_`` prefix is accepted). Default: every kind but the node's network
        interfaces (``network_interface``), which belong to one host and are exported only
        when named.

    profile
        Connection profile name or dict. A profile name is also written into every
        exported state (``profile: <name>``); a dict never is.

    pillar_key
        Top-level pillar key the exported states read secrets from (default
        ``pbs_secrets``): ``<pillar_key>:<kind>:<id>:<property>``.

    write_to
        Directory to write ``pbs.sls`` and ``pbs_secrets.sls`` (mode 0600) into; the
        return then also names the files under ``written``. Handy with
        ``--out=newline_values_only`` or when the texts are long.

    secret_dir
        Directory of the placeholder ``secret_file`` paths of exported API tokens (default
        ``/etc/salt/pbs/tokens``; ``<secret_dir>/<token id>.secret``).

    CLI Example:

    .. code-block:: bash

        salt-call pbs.export write_to=/srv/salt/pbs
        salt-call pbs.export kinds=datastore,prune_job --out=yaml
        salt-call pbs.export profile=offsite pillar_key=offsite_secrets
    """
    result = pbs_export.export(
        _client(profile),
        kinds=kinds,
        profile=profile,
        pillar_key=pillar_key,
        secret_dir=secret_dir,
    )
    if write_to is not None:
        result["written"] = pbs_export.write_files(write_to, result)
    return result


# ----- node power and diagnostics ---------------------------------------------------------
def _node_path(client, suffix=""):
    return client.path("/nodes/{node}", node=client.node) + suffix


def _power(command, node, confirm, profile):
    if confirm is not True:
        raise SaltInvocationError(
            f"Invalid value for 'confirm': {command} takes the node down; pass confirm=True"
        )
    client = _client(profile)
    if not node or node != client.node:
        raise SaltInvocationError(
            f"Invalid value for 'node': name the node to {command} explicitly (this profile"
            f" talks to node '{client.node}')"
        )
    client.post(_node_path(client, "/status"), {"command": command})
    return True


def reboot(node=None, confirm=False, profile=None):
    """
    Reboot PBS node ``node`` (named explicitly: the profile's node) when ``confirm=True``.
    Running backups and tasks are cut off. Returns True once PBS accepted the command.

    Requires ``Sys.PowerManagement`` on ``/system/status``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs.reboot node=localhost confirm=True
    """
    return _power("reboot", node, confirm, profile)


def shutdown(node=None, confirm=False, profile=None):
    """
    Power off PBS node ``node`` (named explicitly) when ``confirm=True``; someone has to
    switch it on again. Returns True once PBS accepted the command.

    Requires ``Sys.PowerManagement`` on ``/system/status``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs.shutdown node=localhost confirm=True
    """
    return _power("shutdown", node, confirm, profile)


def journal(since=None, until=None, lastentries=None, startcursor=None, endcursor=None,
            profile=None):
    """
    Read the systemd journal of the node as a list of lines. ``since``/``until`` are UNIX
    epochs, ``lastentries`` the last N lines, ``startcursor``/``endcursor`` journal
    cursors (PBS refuses a range together with cursors).

    Requires ``Sys.Audit`` on ``/system/log``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs.journal lastentries=50
    """
    params = _query_params(_JOURNAL, {"since": since, "until": until, "lastentries": lastentries,
                                      "startcursor": startcursor, "endcursor": endcursor})
    client = _client(profile)
    return client.get(_node_path(client, "/journal"), params).data or []


def syslog(start=None, limit=None, since=None, until=None, service=None, profile=None):
    """
    Read the node's system log: ``{"total": N, "lines": [{"n": .., "t": ..}]}``. ``start``
    and ``limit`` page through it, ``since``/``until`` are date-time strings
    (``2025-01-31 12:00``), ``service`` a systemd service id.

    Requires ``Sys.Audit`` on ``/system/log``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs.syslog service=proxmox-backup-proxy limit=20
    """
    params = _query_params(_SYSLOG, {"start": start, "limit": limit, "since": since,
                                     "until": until, "service": service})
    client = _client(profile)
    resp = client.get(_node_path(client, "/syslog"), params)
    return {"total": resp.total, "lines": resp.data or []}


def report(profile=None):
    """
    Return the node's system report (the text PBS's support report holds).

    Requires ``Sys.Audit`` on ``/system/status``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs.report
    """
    client = _client(profile)
    return client.get(_node_path(client, "/report")).data


def node_rrd(timeframe="hour", cf="AVERAGE", profile=None):
    """
    Return the node's usage history (CPU, memory, load, network, root disk) for
    ``timeframe`` (``hour``, ``day``, ``week``, ``month``, ``year``, ``decade``) and
    consolidation ``cf`` (``AVERAGE`` or ``MAX``).

    Requires ``Sys.Audit`` on ``/system/status``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs.node_rrd timeframe=day cf=MAX
    """
    if timeframe not in ("hour", "day", "week", "month", "year", "decade"):
        raise SaltInvocationError(f"Invalid value for 'timeframe': {timeframe!r} is not one of"
                                  " hour, day, week, month, year, decade")
    if cf not in ("AVERAGE", "MAX"):
        raise SaltInvocationError(f"Invalid value for 'cf': {cf!r} is not AVERAGE or MAX")
    client = _client(profile)
    return client.get(_node_path(client, "/rrd"), {"timeframe": timeframe, "cf": cf}).data or []


def identity(profile=None):
    """
    Return the node's unique identity, ``{"pbs-instance-id": "<32 hex digits>"}``, which
    PBS derives from the host's ``/etc/machine-id``: it tells two PBS servers apart even
    behind one address.

    Requires any authenticated user or API token (no privilege).

    CLI Example:

    .. code-block:: bash

        salt-call pbs.identity
    """
    client = _client(profile)
    return client.get_object(_node_path(client, "/identity"))


def nodes(profile=None):
    """
    List the nodes of this PBS (one: ``[{"node": <name>}]``).

    Requires root@pam (PBS allows this list to the superuser only).

    CLI Example:

    .. code-block:: bash

        salt-call pbs.nodes
    """
    client = _client(profile)
    return client.get("/nodes").data or []


def config(profile=None):
    """
    Show the connection settings this minion (or ``pbs`` proxy) would use, with every
    secret shown as ``<hidden>``, and where each setting was read from.

    ``salt '*' config.get pbs`` prints passwords and token secrets as stored; this does
    not. Returns ``{"connection": {url, token_id, token_secret: "<hidden>", ...},
    "sources": {key: "pillar pbs:url" | "minion config pbs:timeout" | "proxy pillar
    proxy:url" | ...}, "profile": ..., "profiles": [names], "proxy": bool}``. Keys left
    at their defaults have no entry in ``sources``. A wrong setting raises one line naming
    the key and where it was read from. Sends no request.

    Requires nothing on PBS (reads the minion's configuration only).

    profile
        Connection profile name or dict.

    CLI Example:

    .. code-block:: bash

        salt-call pbs.config
        salt-call pbs.config profile=offsite
    """
    return pbs_config.describe(__salt__["config.get"], __opts__, profile=profile)


# -- metrics read-out (/status/metrics, /admin/metrics) -------------------------------------
_METRICS_PARAMS = (Prop("history", "boolean"), Prop("start-time", "integer", minimum=0))


def metrics(history=False, start_time=None, servers=False, profile=None):
    """
    Return PBS's metric data points (``/status/metrics``): dicts with ``id`` (``host``,
    ``datastore/<store>`` or ``datastore/<store>/s3``), ``metric`` (``cpu_current``,
    ``mem_used``, ``disk_used``, ...), ``timestamp``, ``type`` (``gauge``, ``counter``,
    ``derive``) and ``value``. PBS collects every 10 seconds; by default only the newest
    collection is returned, with ``history`` the last 30 minutes (newer than
    ``start_time``, epoch seconds, when given). With ``servers=True`` returns instead the
    configured metric servers (``/admin/metrics``: ``name``, ``type``, ``server``,
    ``enable``, ``comment``).

    Requires ``Sys.Audit`` on ``/system/status`` for the host's points and
    ``Datastore.Audit`` on ``/datastore/{store}`` for a store's (PBS leaves out what the
    caller may not see); ``servers=True`` requires ``Sys.Audit`` on ``/``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs.metrics
        salt-call pbs.metrics history=True start_time=1767225600
        salt-call pbs.metrics servers=True
    """
    client = _client(profile)
    if Prop("servers", "boolean").coerce(servers, "servers"):
        return client.get_list("/admin/metrics")
    params = {}
    if _METRICS_PARAMS[0].coerce(history, "history"):
        params["history"] = True
    if start_time is not None:
        params["start-time"] = _METRICS_PARAMS[1].coerce(start_time, "start_time")
    body = client.get_object("/status/metrics", params or None)
    return body.get("data") or []


def _state_run(function, sls, **kwargs):
    """Call a ``state`` function for ``sls`` (or the highstate); Salt's render and compile
    errors come back as a list of strings: raise them as one line."""
    if sls is not None and not isinstance(sls, str):
        raise SaltInvocationError(f"Invalid value for 'sls': expected SLS names, got {sls!r}")
    ret = __salt__[function[0] if sls is None else function[1]](
        *(() if sls is None else (sls,)), **kwargs
    )
    if isinstance(ret, list) and any(isinstance(line, str) for line in ret):
        text = "; ".join(str(line) for line in ret if isinstance(line, str))
        raise CommandExecutionError(pbs_errors.one_line(text, 500))
    return ret


def plan(sls=None, profile=None):  # pylint: disable=unused-argument
    """
    Summarise what applying ``sls`` (or the highstate) would do, without writing: a
    ``test=True`` run counted per state module as ``to_create``, ``to_update``,
    ``to_delete``, ``unchanged`` and ``failed``, with ``writes``, the write requests the
    states say they would send. Only ``pbs_*`` states count. ``pending`` lists, in run
    order, each state that would change something or failed: ``{"state": "pbs_datastore",
    "name": "vms", "outcome": "to_update", "properties": ["comment"]}`` (a failed one has
    its ``comment`` instead of ``properties``). Run through the master
    (``salt '*' pbs.plan sls=...``) it is a drift report of the fleet, one per PBS.

    Requires what the states need to read (their ``Requires`` lines); nothing is written.

    CLI Example:

    .. code-block:: bash

        salt-call pbs.plan
        salt-call pbs.plan sls=pbs.datastores
        salt-call pbs.plan sls=pbs_fleet --out=json
    """
    ret = _state_run(("state.highstate", "state.sls"), sls, test=True)
    return pbs_plan.summarize(ret)


def unmanaged(sls=None, kinds=None, profile=None):
    """
    List the objects on PBS that no state of ``sls`` (or of the highstate) declares, per
    state module (``{"pbs_remote": ["old-offsite"], ...}``): what a Terraform plan would
    show as "to destroy". Read-only; singletons (node config, DNS ...) always exist and are
    left out. ``kinds`` limits the kinds read, as for :func:`export`. An ACL
    ``managed`` state declares every entry on its path.

    Requires reading every kind listed (``Sys.Audit`` on ``/``, ``Datastore.Audit``,
    ``Remote.Audit``, ``Tape.Audit``); lists PBS filters by privilege show less.

    CLI Example:

    .. code-block:: bash

        salt-call pbs.unmanaged
        salt-call pbs.unmanaged sls=pbs kinds=remote,sync_job
    """
    lowstate = _state_run(("state.show_lowstate", "state.show_low_sls"), sls)
    return pbs_plan.unmanaged(_client(profile), lowstate, kinds)
