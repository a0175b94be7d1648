"""The complete SLS examples in the docstrings of the job and notification state modules
apply cleanly against the simulator, and a second run changes nothing.

The objects an example refers to (datastores, remotes) are created by states put in front
of it, as a user's SLS would do.
"""

import pytest

from tests.support.kinds import assert_example_applies_and_is_idempotent

pytestmark = pytest.mark.usefixtures("pbs_loaders")

PILLAR = {"pbs_smtp_password": "pw-example", "gotify_token": "tok-example", "chat_token": "x1"}


def _datastore(name):
    return f"{name}:\n  pbs_datastore.present:\n    - path: /srv/example/{name}\n"


def _remote(name):
    return (
        f"{name}:\n  pbs_remote.present:\n    - host: {name}.example.com\n"
        "    - auth_id: sync@pbs\n    - password: example\n"
    )


def _sendmail(name):
    return (
        f"{name}:\n  pbs_notification_endpoint.present:\n    - type: sendmail\n"
        "    - mailto: [a@example.com]\n"
    )


PREREQUISITES = {
    "pbs_sync_job": _datastore("local") + _remote("offsite") + _remote("dr-site"),
    "pbs_prune_job": _datastore("store1"),
    "pbs_verify_job": _datastore("store1"),
    "pbs_notification_endpoint": "",
    "pbs_notification_matcher": _sendmail("ops-mail") + _sendmail("phone"),
}


@pytest.mark.parametrize("module", sorted(PREREQUISITES))
def test_docstring_example_applies_and_is_idempotent(pbs_loaders, state_tree, module):
    assert_example_applies_and_is_idempotent(
        pbs_loaders, state_tree, module, PREREQUISITES[module], PILLAR
    )
