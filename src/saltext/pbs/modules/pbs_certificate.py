"""
The TLS certificate of the Proxmox Backup Server proxy (port 8007): read it, upload a
custom certificate and key, go back to the self-signed one, order or renew one by ACME.

The private key is write-only: it is sent, never logged or returned. Local checks come
before any request: PEM text, a certificate that matches its key and has not expired.

PBS reloads the proxy's certificate by itself after an upload, a delete or an ACME order
(PBS 4.2's ``restart`` parameter is ignored), so no service restart is needed. New
connections then see the new certificate: a minion that pins the old ``fingerprint``
must move its pin (the upload returns the new fingerprint) or verify by CA instead.

``acme_order`` and ``acme_renew`` are PBS tasks: they wait by default, logging the task
log at info level, and raise with its tail on failure; ``wait=False`` returns the UPID.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings. The node is the profile's ``node`` (default
``localhost``).
"""

import datetime

from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils.kinds import host

__virtualname__ = "pbs_certificate"


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def _path(client, suffix):
    return client.path("/nodes/{node}/certificates", node=client.node) + suffix


def local_fingerprint(certificate, profile=None):  # pylint: disable=unused-argument
    """
    Return the SHA-256 fingerprint (lower-case colon hex, as PBS shows it) of the first
    certificate of PEM text ``certificate``; nothing is sent to PBS.

    Requires no PBS privilege (a local computation).

    CLI Example:

    .. code-block:: bash

        salt-call pbs_certificate.local_fingerprint "$(cat /etc/ssl/pbs.pem)"
    """
    return _load_chain(certificate)[0].fingerprint(_hashes().SHA256()).hex(":")


def _hashes():
    from cryptography.hazmat.primitives import hashes  # pylint: disable=import-outside-toplevel

    return hashes


def _load_chain(certificate):
    from cryptography import x509  # pylint: disable=import-outside-toplevel

    blocks = host.pem_blocks(certificate, "certificate")
    certs = [b for label, b in blocks if label in ("CERTIFICATE", "TRUSTED CERTIFICATE")]
    if not certs:
        raise SaltInvocationError(
            "Invalid value for 'certificate': the PEM text holds no CERTIFICATE block"
        )
    try:
        return [x509.load_pem_x509_certificate(b.encode()) for b in certs]
    except ValueError as exc:
        raise SaltInvocationError(
            f"Invalid value for 'certificate': not a readable certificate ({exc})"
        ) from None


def _check_pair(certificate, key):
    """The certificate chain, after checking ``key`` is its key and it has not expired."""
    # pylint: disable=import-outside-toplevel
    from cryptography.hazmat.primitives import serialization

    chain = _load_chain(certificate)
    blocks = host.pem_blocks(key, "key")
    if not any("PRIVATE KEY" in label for label, _ in blocks):
        raise SaltInvocationError("Invalid value for 'key': the PEM text holds no PRIVATE KEY")
    try:
        private = serialization.load_pem_private_key(key.encode(), password=None)
    except (ValueError, TypeError):
        # never quote the key or the parser's message about it
        raise SaltInvocationError(
            "Invalid value for 'key': not a readable unencrypted private key"
        ) from None
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    der = serialization.Encoding.DER
    if private.public_key().public_bytes(der, public) != chain[0].public_key().public_bytes(
        der, public
    ):
        raise SaltInvocationError(
            "Invalid value for 'key': it is not the key of the certificate"
        )
    now = datetime.datetime.now(datetime.timezone.utc)
    if chain[0].not_valid_after_utc <= now:
        raise SaltInvocationError(
            f"Invalid value for 'certificate': it expired on"
            f" {chain[0].not_valid_after_utc.isoformat()}"
        )
    return chain


def info(profile=None):
    """
    Return the proxy certificate: ``filename``, ``subject``, ``san`` (DNS names),
    ``issuer``, ``notbefore``, ``notafter``, ``public-key-type``, ``public-key-bits``,
    ``fingerprint`` and ``pem`` (the certificate, no key).

    Requires ``Sys.Modify`` on ``/system/certificates`` (PBS asks for it even to read).

    CLI Example:

    .. code-block:: bash

        salt-call pbs_certificate.info
    """
    client = _client(profile)
    listing = client.get(_path(client, "/info")).data or []
    return listing[0] if listing else None


def upload(certificate, key, profile=None):
    """
    Install ``certificate`` (PEM, a chain may follow the leaf) with its private ``key``
    (PEM) as the proxy certificate. Both are checked first (PEM, the key matches, not
    expired). Returns the new certificate info; its ``fingerprint`` is the new pin.

    Requires ``Sys.Modify`` on ``/system/certificates``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_certificate.upload "$(cat pbs.pem)" "$(cat pbs.key)"
    """
    _check_pair(certificate, key)
    client = _client(profile)
    listing = client.post(_path(client, "/custom"), {"certificates": certificate, "key": key}).data
    return (listing or [None])[0]


def delete_custom(profile=None):
    """
    Remove the custom certificate: PBS goes back to a new self-signed one. Returns True.

    Requires ``Sys.Modify`` on ``/system/certificates``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_certificate.delete_custom
    """
    client = _client(profile)
    client.delete(_path(client, "/custom"))
    return True


def _task(client, method, suffix, force, wait, timeout):
    return client.start_task(method, _path(client, suffix), {"force": bool(force)}, wait, timeout)


def acme_order(force=False, wait=True, timeout=None, profile=None):
    """
    Order a certificate for the node's ACME domains (``pbs_node_config``: ``acme`` account
    and ``acmedomain0``..``4``) from the account's CA (the PBS task ``acme-new-cert``).
    Refused before any order when no domain is configured (PBS would end the task
    successfully with nothing ordered).

    Requires ``Sys.Modify`` on ``/system/certificates``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_certificate.acme_order
    """
    client = _client(profile)
    _require_domains(client)
    return _task(client, "POST", "/acme/certificate", force, wait, timeout)


def acme_renew(force=False, wait=True, timeout=None, profile=None):
    """
    Renew the ACME certificate (the PBS task ``acme-renew-cert``). PBS refuses unless it
    expires within its lead time (a third of its lifetime, at least 3 days) or ``force``.

    Requires ``Sys.Modify`` on ``/system/certificates``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_certificate.acme_renew force=True
    """
    client = _client(profile)
    _require_domains(client)
    return _task(client, "PUT", "/acme/certificate", force, wait, timeout)


def _require_domains(client):
    config = client.get(client.path("/nodes/{node}/config", node=client.node)).data or {}
    if not any(config.get(f"acmedomain{i}") for i in range(5)):
        raise SaltInvocationError(
            "No ACME domain is configured on the node: set acmedomain0 (pbs_node_config)"
            " before ordering a certificate"
        )
