"""
Manage the TLS certificate of the Proxmox Backup Server proxy: a custom certificate, or
one ordered by ACME for the node's configured domains.

``custom`` compares by fingerprint: when PBS serves the given certificate nothing is
sent, so a re-apply makes no change. The key is write-only and never shown. PBS reloads
the proxy's certificate itself; no restart is needed.

A minion that pins PBS's certificate (``fingerprint`` in its ``pbs`` config) and replaces
that certificate loses the pin for new connections: the state's own upload still
succeeds (its answer comes over the connection it was sent on), and it reports the new
fingerprint in ``changes``; set that as ``fingerprint`` (or verify by CA with ``verify``)
before the next run.

.. code-block:: yaml

    proxy-certificate:
      pbs_certificate.custom:
        - certificate_file: /etc/ssl/pbs/fullchain.pem
        - key_file: /etc/ssl/pbs/privkey.pem

    # or by ACME for the domains of pbs_node_config (account, acmedomain0 ...):
    # pbs_certificate.acme with renew_days
"""

import time

from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import reconcile
from saltext.pbs.utils.catalog import HIDDEN

__virtualname__ = "pbs_certificate"


def __virtual__():
    if "pbs_certificate.info" not in __salt__:
        return False, "the pbs_certificate execution module is not available"
    return __virtualname__


def _ret(name):
    return {"name": name, "result": True, "changes": {}, "comment": ""}


def _read_file(path, field):
    if not isinstance(path, str) or not path:
        raise SaltInvocationError(f"Invalid value for '{field}': expected a file path, got {path!r}")
    try:
        with open(path, encoding="ascii") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise SaltInvocationError(f"Invalid value for '{field}': cannot read {path}: {exc}") from None


def custom(name, certificate=None, key=None, certificate_file=None, key_file=None,
           profile=None):
    """
    Ensure the proxy serves ``certificate`` with ``key``.

    name
        Any state id.

    certificate, certificate_file
        The certificate (PEM; a chain may follow the leaf), as text (pillar, sdb) or a
        file on the minion.

    key, key_file
        Its private key (PEM, unencrypted), as text or a file. Never shown.

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    Requires ``Sys.Modify`` on ``/system/certificates`` (to read as well).

    .. code-block:: yaml

        proxy-certificate:
          pbs_certificate.custom:
            - certificate_file: /etc/ssl/pbs/fullchain.pem
            - key_file: /etc/ssl/pbs/privkey.pem
    """
    ret = _ret(name)
    try:
        if certificate_file is not None:
            certificate = _read_file(certificate_file, "certificate_file")
        if key_file is not None:
            key = _read_file(key_file, "key_file")
        if certificate is None or key is None:
            raise SaltInvocationError(
                "Invalid value for 'certificate': certificate (or certificate_file) and key"
                " (or key_file) are required"
            )
        wanted = __salt__["pbs_certificate.local_fingerprint"](certificate)
        current = __salt__["pbs_certificate.info"](profile=profile) or {}
        if current.get("fingerprint", "").lower() == wanted:
            ret["comment"] = f"The proxy serves the certificate {wanted}"
            return ret
        ret["changes"] = {
            "fingerprint": {"old": current.get("fingerprint"), "new": wanted},
            "key": {"old": HIDDEN, "new": HIDDEN},
        }
        if __opts__["test"]:
            ret["result"] = None
            ret["comment"] = "The certificate would be uploaded"
            return ret
        done = __salt__["pbs_certificate.upload"](certificate, key, profile=profile) or {}
    except (CommandExecutionError, SaltInvocationError) as exc:
        return {**ret, "result": False, "changes": {}, "comment": str(exc)}
    ret["comment"] = (
        f"Certificate uploaded; PBS now serves {done.get('fingerprint', wanted)}. A minion"
        " pinning the old fingerprint must set the new one"
    )
    return ret


def _domain(value):
    """The domain of an ``acmedomainN`` value (a dict or PBS's property string)."""
    if isinstance(value, dict):
        return value["domain"].lower()
    for part in str(value).split(","):
        key, sep, text = part.partition("=")
        if not sep:
            return key.strip().lower()
        if key.strip() == "domain":
            return text.strip().lower()
    return ""


def acme(name, renew_days=30, profile=None, task_timeout=None):
    """
    Ensure the proxy has an ACME certificate for the node's ACME domains that is valid for
    more than ``renew_days`` days: ordered when the served certificate does not cover the
    configured domains, renewed when it expires within ``renew_days``.

    name
        Any state id.

    renew_days
        Renew when the certificate expires within this many days (default 30).

    profile
        Connection profile name (under ``pbs:profiles``) or a dict of connection settings.

    task_timeout
        Seconds to wait for the PBS task the state starts (default 1800); the task goes on
        on PBS when the wait ends, and the state fails saying so.

    Requires ``Sys.Modify`` on ``/system/certificates`` and ``Sys.Audit`` on ``/system``
    (to read the domains).

    .. code-block:: yaml

        acme-certificate:
          pbs_certificate.acme:
            - renew_days: 30
    """
    ret = _ret(name)
    try:
        if isinstance(renew_days, bool) or not isinstance(renew_days, int) or renew_days < 0:
            raise SaltInvocationError(
                f"Invalid value for 'renew_days': expected a whole number of days, got"
                f" {renew_days!r}"
            )
        task_timeout = reconcile.task_limit(task_timeout)
        config = __salt__["pbs_node_config.get"](profile=profile) or {}
        domains = sorted(
            {_domain(d) for d in (config.get(f"acmedomain{i}") for i in range(5)) if d}
        )
        if not domains:
            raise SaltInvocationError(
                "No ACME domain is configured on the node: set acmedomain0 (pbs_node_config)"
            )
        current = __salt__["pbs_certificate.info"](profile=profile) or {}
        covered = {s.lower() for s in current.get("san", [])}
        left = (current.get("notafter") or 0) - time.time()
        if set(domains) <= covered and left > renew_days * 86400:
            ret["comment"] = (
                f"The certificate covers {', '.join(domains)} for {int(left // 86400)} more days"
            )
            return ret
        action = "renew" if set(domains) <= covered else "order"
        ret["changes"] = {"certificate": {"old": current.get("fingerprint"),
                                          "new": f"{action}ed for {', '.join(domains)}"}}
        if __opts__["test"]:
            ret["result"] = None
            ret["comment"] = f"The certificate would be {action}ed"
            return ret
        if action == "renew":
            __salt__["pbs_certificate.acme_renew"](force=True, timeout=task_timeout,
                                                   profile=profile)
        else:
            __salt__["pbs_certificate.acme_order"](timeout=task_timeout, profile=profile)
        after = __salt__["pbs_certificate.info"](profile=profile) or {}
    except (CommandExecutionError, SaltInvocationError) as exc:
        return {**ret, "result": False, "changes": {}, "comment": str(exc)}
    ret["changes"]["certificate"]["new"] = after.get("fingerprint")
    ret["comment"] = f"Certificate {action}ed for {', '.join(domains)}"
    return ret
