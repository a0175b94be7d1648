"""The complete SLS examples in the docstrings of the node settings, ACME and tape state
modules apply cleanly against the simulator, and a second run changes nothing.

The objects an example refers to (datastore, pool, drive) come from states put in front of
it, as a user's SLS would have them.
"""

import pytest

from tests.support.kinds import assert_example_applies_and_is_idempotent

pytestmark = pytest.mark.usefixtures("pbs_loaders")

PILLAR = {
    "tape": {"key_fingerprint": ":".join(["ab"] * 32), "key_password": "example-key-pass"},
    "acme": {
        "eab_kid": "kid-example",
        "eab_hmac_key": "hmac-example",
        "cf_token": "cf-token-example",
        "cf_account_id": "cf-account-example",
    },
}
TAPE_JOB_PREREQUISITES = """
store1:
  pbs_datastore.present:
    - path: /srv/example/store1
weekly:
  pbs_media_pool.present: []
lto9-1:
  pbs_tape_drive.present:
    - path: /dev/tape/by-id/scsi-10WT065325-sg
"""
MODULES = {
    "pbs_node_config": "",
    "pbs_dns": "",
    "pbs_time": "",
    "pbs_acme_account": "",
    "pbs_acme_plugin": "",
    "pbs_tape_drive": "",
    "pbs_tape_changer": "",
    "pbs_media_pool": "",
    "pbs_tape_backup_job": TAPE_JOB_PREREQUISITES,
    "pbs_tape_key": "",
}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_docstring_example_applies_and_is_idempotent(pbs_loaders, state_tree, module):
    assert_example_applies_and_is_idempotent(
        pbs_loaders, state_tree, module, MODULES[module], PILLAR
    )
