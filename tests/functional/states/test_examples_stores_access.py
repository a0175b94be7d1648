"""The complete SLS examples in the docstrings of the datastore (with its removable stores
mounted and unmounted), namespace, S3 endpoint,
remote, traffic control, metric server, realm, WebAuthn, user, token and ACL state modules apply
cleanly against the simulator, and a second run changes nothing.

The objects an example refers to come from states put in front of it, as a user's SLS
would have them; its secrets come from pillar.
"""

import os

import pytest

from tests.support.kinds import assert_example_applies_and_is_idempotent

pytestmark = pytest.mark.usefixtures("pbs_loaders")

FINGERPRINT = ":".join(["ab"] * 32)
PILLAR = {
    "pbs_secrets": {
        "offsite_token_secret": "offsite-token-example",
        "offsite_fingerprint": FINGERPRINT,
        "backup_password": "backup-pw-example",
    },
    "s3": {"secret_key": "s3-secret-example", "fingerprint": FINGERPRINT},
    "aws": {"secret_key": "aws-secret-example"},
    "influx": {"token": "influx-token-example"},
    "ldap": {"bind_password": "ldap-pw-example"},
    "ad": {"bind_password": "ad-pw-example"},
    "oidc": {"client_key": "oidc-key-example"},
}
STORE1 = """
store1:
  pbs_datastore.present:
    - path: /srv/example/store1
"""
S3_ENDPOINT = """
my-s3-endpoint:
  pbs_s3_endpoint.present:
    - endpoint: s3.example.com
    - access_key: pbs-example
    - secret_key: s3-secret-example
"""


def _acl_prerequisites(secret_dir):
    users = "".join(f"{u}:\n  pbs_user.present: []\n" for u in ("backup@pbs", "auditor@pbs"))
    token = (
        "backup@pbs!pve1:\n  pbs_token.present:\n"
        f"    - secret_file: {secret_dir / 'pve1.token'}\n"
    )
    return STORE1 + users + token


MODULES = {
    "pbs_datastore": S3_ENDPOINT,
    "pbs_namespace": STORE1,
    "pbs_s3_endpoint": "",
    "pbs_remote": "",
    "pbs_traffic_control": "",
    "pbs_metrics_server": "",
    "pbs_realm": "",
    "pbs_webauthn": "",
    "pbs_user": "",
    "pbs_acl": None,  # built per test: the token's secret file goes below tmp_path
}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_docstring_example_applies_and_is_idempotent(pbs_loaders, state_tree, tmp_path, module):
    prefix = MODULES[module] if MODULES[module] is not None else _acl_prerequisites(tmp_path)
    assert_example_applies_and_is_idempotent(pbs_loaders, state_tree, module, prefix, PILLAR)


def test_token_docstring_example_applies_and_is_idempotent(
    pbs_loaders, state_tree, tmp_path, monkeypatch
):
    # The example's sinks, moved to this test: its secret file below tmp_path, and its sdb
    # profile 'vault' as Salt's env driver (it writes this process's environment).
    monkeypatch.setitem(pbs_loaders.opts, "vault", {"driver": "env"})
    try:
        assert_example_applies_and_is_idempotent(
            pbs_loaders,
            state_tree,
            "pbs_token",
            substitutions={"/root/pbs/": f"{tmp_path}/"},
        )
        assert (tmp_path / "pve1.token").read_text(encoding="utf-8").startswith(
            "backup@pbs!pve1:"
        )
        assert pbs_loaders.modules.sdb.get("sdb://vault/pbs/monitoring_token")
    finally:
        os.environ.pop("pbs/monitoring_token", None)
