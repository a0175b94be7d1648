"""
Staged network changes: what ``pbs_network`` and ``pbs_network_interface`` need beyond the
engine.

PBS never changes the running network on an interface write: it saves the whole
configuration to ``/etc/network/interfaces.new``, and every read shows that staged file.
The network list carries a ``changes`` member, the ``diff -u`` of the running file against
the staged one, whenever something is staged (PBS src/api2/node/network.rs
``list_network_devices``; proxmox-network-api ``changes``). ``PUT`` on the collection
moves the staged file into place and runs ``ifreload -a`` in a task (``srvreload``
``networking``); ``DELETE`` removes the staged file (revert).

So one SLS stages several interfaces (each ``pbs_network_interface`` state one write) and
applies them once with ``pbs_network.applied``. A staged change is never left behind
silently: an interface state says that its change waits for a reload, and a failed one
says what else is staged and how to apply or discard it.
"""

import logging

from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import catalog
from saltext.pbs.utils import objects
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.flows import engine_client
from saltext.pbs.utils.kinds.network import INTERFACE
from saltext.pbs.utils.kinds.network import check_vlan

log = logging.getLogger(__name__)

RECOVERY = (
    "if the minion lost its connection to PBS, fix /etc/network/interfaces at the host's"
    " console and run 'ifreload -a' there (see the network guide)"
)


def collection(client):
    """The network collection path of the client's node."""
    return objects.collection_path(client, INTERFACE)


def pending(client):
    """The diff of the staged configuration against the running one, or None."""
    return client.get(collection(client)).changes or None


def reload(client, wait=True, timeout=None):
    """Apply the staged configuration (a task); the UPID, or its final status."""
    upid = client.put(collection(client)).data
    return client.task_result(upid, wait=wait, timeout=timeout)


def revert(client):
    """Discard the staged configuration."""
    client.delete(collection(client))


def create(client, name, properties):
    """Create an interface (staged), refusing a VLAN without id or parent first."""
    ident = INTERFACE.check_id(name)
    values = {k.replace("_", "-"): v for k, v in properties.items()}
    if values.get("type") == "vlan":
        check_vlan(ident, {"vlan-id": values.get("vlan-id"),
                           "vlan-raw-device": values.get("vlan-raw-device")})
    return objects.create_object(client, INTERFACE, ident, properties)


def _staged_note(client):
    """What is staged, for the comment of a failed interface state ("" when nothing)."""
    try:
        diff = pending(client)
    except CommandExecutionError as err:
        log.debug("could not read the staged network changes: %s", err)
        return ""
    if not diff:
        return ""
    lines = sum(1 for line in diff.splitlines() if line[:1] in "+-"
                and not line.startswith(("+++", "---")))
    return (
        f". PBS holds staged network changes that are not active ({lines} changed lines;"
        " see pbs_network.pending): apply them with pbs_network.applied or discard them"
        " with pbs_network.revert"
    )


def _finish(ret, engine, verb):
    if ret["result"] is False:
        try:
            ret["comment"] += _staged_note(engine_client(engine))
        except (CommandExecutionError, SaltInvocationError):
            pass
    elif ret["changes"]:
        when = "will be staged" if ret["result"] is None else "staged"
        ret["comment"] += (
            f"; the {verb} {when} in /etc/network/interfaces.new and is not active until"
            " pbs_network.applied (or pbs_network.reload) applies it"
        )
    return ret


def method_after_update(current, want):
    """
    The IPv4 method PBS leaves after any update: ``static`` when the interface keeps an
    address or gateway, else ``manual`` (update_interface overwrites it, so ``dhcp`` is
    lost), when that differs from the method asked (or configured, when none is asked);
    None when ``want`` changes nothing or the method stays as asked.
    """
    cur = catalog.normalize_current(INTERFACE, current)
    changed = [
        wire for wire, value in want.items()
        if not INTERFACE.prop(wire).equal(cur.get(wire), value)
    ]
    if not changed:
        return None
    final = {**cur, **want}
    method = "static" if final.get("cidr") or final.get("gateway") else "manual"
    # what the user asked, or else what the interface has and would keep on another host
    wanted = want.get("method") or cur.get("method")
    return None if wanted in (None, method) else method


def _refuse_lost_method(client, ident, want):
    """Refuse an update after which PBS would hold another IPv4 method than asked."""
    current = objects.read_item(client, INTERFACE, ident)[0]
    if current is None:
        return
    method = method_after_update(current, want)
    if method is None:
        return
    have = want.get("method") or current.get("method")
    raise SaltInvocationError(
        f"Invalid value for 'method': PBS would make the IPv4 method of '{ident}' {method}"
        f" (asked or configured: {have}): any update sets it to static with an address or"
        " gateway and to manual without; give cidr (static), or change this interface at"
        " the host"
    )


def interface_present(name, properties, update_secret, engine):
    """``pbs_network_interface.present``: the engine, plus what staging means."""
    try:
        # bad input fails here, before any request (no staged note to look up either)
        ident = INTERFACE.check_id(name)
        want = catalog.desired(INTERFACE, properties, "present")
    except SaltInvocationError as err:
        return reconcile.failed(name, err)
    try:
        _refuse_lost_method(engine_client(engine), ident, want)
    except (CommandExecutionError, SaltInvocationError) as err:
        return reconcile.failed(name, err)
    ret = reconcile.present(INTERFACE, name, properties, update_secret=update_secret, **engine)
    return _finish(ret, engine, "change")


def interface_absent(name, engine):
    """``pbs_network_interface.absent``: the engine, plus what staging means."""
    try:
        INTERFACE.check_id(name)
    except SaltInvocationError as err:
        return reconcile.failed(name, err)
    ret = reconcile.absent(INTERFACE, name, **engine)
    return _finish(ret, engine, "removal")


def applied(name, engine, timeout=None):
    """``pbs_network.applied``: reload when something is staged."""
    ret = reconcile.new_ret(name)
    try:
        client = engine_client(engine)
        diff = pending(client)
        if not diff:
            ret["comment"] = "No staged network changes; nothing to apply"
            return ret
        ret["changes"] = {"pending": {"old": diff, "new": None}}
        if engine["opts"].get("test"):
            ret.update(
                result=None,
                comment=f"The staged network changes would be applied; would PUT"
                f" {collection(client)} (ifreload -a)",
            )
            return ret
        try:
            reload(client, wait=True, timeout=timeout)
        except CommandExecutionError as err:
            # PBS moves the staged file into place before ifreload runs: it is active now
            ret.update(
                result=False,
                comment=f"Applying the staged network changes failed: {err}; PBS had already"
                f" made them the configuration (/etc/network/interfaces); {RECOVERY}",
            )
            return ret
        ret["comment"] = "Staged network changes applied (ifreload -a)"
        return ret
    except (CommandExecutionError, SaltInvocationError) as err:
        return reconcile.failed(name, err)
