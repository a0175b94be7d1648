"""
Flows: what a kind needs beyond the common read-diff-write of the engine.

The catalog (:mod:`saltext.pbs.utils.kinds`) is data, the engine
(:mod:`saltext.pbs.utils.objects` for execution functions,
:mod:`saltext.pbs.utils.reconcile` for states) reads it; a flow sits above both and calls
them, one module per area:

* :mod:`~saltext.pbs.utils.flows.users`: ``pbs_user.present`` (realm rules for passwords);
* :mod:`~saltext.pbs.utils.flows.tokens`: API tokens created, rotated and probed with the
  secret PBS shows once;
* :mod:`~saltext.pbs.utils.flows.acl`: ACL entries (one entry, or every entry on a path);
* :mod:`~saltext.pbs.utils.flows.permissions`: effective privileges;
* :mod:`~saltext.pbs.utils.flows.namespace`: namespaces with their parents;
* :mod:`~saltext.pbs.utils.flows.realms`: realm sync and update, the built-in realms,
  WebAuthn settings;
* :mod:`~saltext.pbs.utils.flows.tfa`: users' second factors, their secrets sent to a sink.
* :mod:`~saltext.pbs.utils.flows.network`: network interfaces staged until one reload.

State flows take the engine's keyword arguments (``**engine``: ``opts``, ``context``,
``config_get``, ``profile``, optionally ``client``; see
:func:`saltext.pbs.utils.reconcile.engine_args`) and return a
:class:`~saltext.pbs.utils.reconcile.StateReturn`.
"""

from saltext.pbs.utils import client as pbs_client


def engine_client(engine: dict):
    """The client of a state call (resolved once and kept in ``engine``)."""
    if engine.get("client") is None:
        engine["client"] = pbs_client.get_client(
            engine["opts"], engine["context"], engine.get("config_get"), engine.get("profile")
        )
    return engine["client"]
