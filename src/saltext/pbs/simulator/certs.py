"""Self-signed TLS certificate for the simulator.

The certificate names 127.0.0.1, ::1 and localhost, so clients can verify it with the
certificate itself as CA file. Kept in a directory when one is given, so a pinned
fingerprint survives restarts.
"""

import datetime
import hashlib
import ipaddress
import os
import ssl

CERT_NAME = "proxy.pem"
KEY_NAME = "proxy.key"


def fingerprint(cert_pem):
    """SHA-256 of the certificate's DER form, lower-case hex pairs joined by ``:``."""
    if isinstance(cert_pem, bytes):
        cert_pem = cert_pem.decode("ascii")
    digest = hashlib.sha256(ssl.PEM_cert_to_DER_cert(cert_pem)).hexdigest()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def _generate(host):
    # pylint: disable=import-outside-toplevel
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "saltext-pbs simulator"),
            x509.NameAttribute(NameOID.COMMON_NAME, "localhost"),
        ]
    )
    alt_names = [
        x509.DNSName("localhost"),
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        x509.IPAddress(ipaddress.ip_address("::1")),
    ]
    try:
        extra = ipaddress.ip_address(host)
        if all(
            not isinstance(n, x509.IPAddress) or n.value != extra for n in alt_names
        ) and not extra.is_unspecified:
            alt_names.append(x509.IPAddress(extra))
    except ValueError:
        if host and host != "localhost":
            alt_names.append(x509.DNSName(host))
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
        # CA:TRUE lets OpenSSL accept the certificate as its own trust anchor.
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        # Key usage and key identifiers keep strict X.509 verification (Python >= 3.13) happy.
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return cert_pem, key_pem


def ensure_certificate(cert_dir, host="127.0.0.1"):
    """Return ``(cert_file, key_file)`` in ``cert_dir``, creating them when missing."""
    os.makedirs(cert_dir, exist_ok=True)
    cert_file = os.path.join(cert_dir, CERT_NAME)
    key_file = os.path.join(cert_dir, KEY_NAME)
    if not (os.path.exists(cert_file) and os.path.exists(key_file)):
        cert_pem, key_pem = _generate(host)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key_pem)
        with open(cert_file, "wb") as fh:
            fh.write(cert_pem)
    return cert_file, key_file


def server_context(cert_file, key_file):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(cert_file, key_file)
    return ctx
