"""The SLS example in the docstring of ``pbs_encryption_key`` (a generated key and the push
sync job naming it) applies cleanly against the simulator, and a second run changes
nothing."""

import pytest

from tests.support.kinds import assert_example_applies_and_is_idempotent

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def test_docstring_example_applies_and_is_idempotent(pbs_loaders, pbs_simulator, state_tree,
                                                     tmp_path):
    pbs_simulator.state.file("datastore.cfg").set("store1", "datastore", {"path": "/srv/store1"})
    pbs_simulator.state.file("remote.cfg").set(
        "offsite", "remote", {"host": "pbs2.example.com", "auth-id": "sync@pbs", "password": "eA=="}
    )
    assert_example_applies_and_is_idempotent(
        pbs_loaders, state_tree, "pbs_encryption_key", "", None,
        {"/root/pbs-push-2026.key": str(tmp_path / "push-2026.key")},
    )
    assert (tmp_path / "push-2026.key").stat().st_mode & 0o777 == 0o600
