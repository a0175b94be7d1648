"""
The first plan of a new PBS: a newcomer's whole tree applied with ``test=True`` to an
empty simulated PBS fails nowhere (objects that earlier states create are planned, not
missing), and the real apply then does what the plan said, state by state.
"""

import pytest

from tests.support.kinds import assert_all_succeeded

FINGERPRINT = ":".join(["ab"] * 32)
TREE = """
vmstore:
  pbs_datastore.present:
    - path: /srv/plan/vmstore
ctstore:
  pbs_datastore.present:
    - path: /srv/plan/ctstore
prod/web:
  pbs_namespace.present:
    - datastore: vmstore
vm-retention:
  pbs_prune_job.present:
    - store: vmstore
    - ns: prod
    - schedule: daily
    - keep_last: 7
vm-verify:
  pbs_verify_job.present:
    - store: vmstore
    - schedule: 'sat 03:00'
offsite:
  pbs_remote.present:
    - host: pbs2.example.com
    - auth_id: sync@pbs!pull
    - password: {{ pillar['plan']['remote_secret'] | yaml_encode }}
    - fingerprint: FINGERPRINT
pull-offsite:
  pbs_sync_job.present:
    - store: ctstore
    - remote: offsite
    - remote_store: backups
    - schedule: hourly
ops-mail:
  pbs_notification_endpoint.present:
    - type: smtp
    - server: smtp.example.com
    - from_address: pbs@example.com
    - mailto: [ops@example.com]
phone:
  pbs_notification_endpoint.present:
    - type: gotify
    - server: https://gotify.example.com
    - token: {{ pillar['plan']['gotify_token'] | yaml_encode }}
errors-to-ops:
  pbs_notification_matcher.present:
    - target: [ops-mail, phone]
    - match_severity: [error]
backup@pbs:
  pbs_user.present:
    - comment: PVE backups
backup@pbs!pve1:
  pbs_token.present:
    - secret_file: SECRET_FILE
backup-acl:
  pbs_acl.present:
    - name: /datastore/vmstore/prod
    - auth_id: backup@pbs!pve1
    - role: DatastoreBackup
""".replace("FINGERPRINT", FINGERPRINT)
PILLAR = {"plan": {"remote_secret": "remote: secret #1", "gotify_token": "gotify-token-1"}}


@pytest.fixture
def newcomer_sls(state_tree, tmp_path):
    sls = state_tree / "newcomer.sls"
    sls.write_text(TREE.replace("SECRET_FILE", str(tmp_path / "pve1.token")), encoding="utf-8")
    try:
        yield sls.stem
    finally:
        sls.unlink()


def _writes(sim):
    return [e for e in sim.exchanges() if e["method"] != "GET" and not e["path"].endswith("/ticket")]


def test_the_first_plan_of_an_empty_pbs_fails_nowhere_and_the_apply_matches_it(
    pbs_loaders, pbs_simulator, newcomer_sls
):
    pbs_simulator.clear_exchanges()
    plan = pbs_loaders.modules.state.apply(newcomer_sls, pillar=PILLAR, test=True)
    assert not plan.failed, plan.errors
    planned = {r.name: r for r in plan}
    assert [(r.name, r.comment) for r in plan if r.result is not None] == []
    assert not _writes(pbs_simulator)
    # what the earlier states would create is a plan, not a missing object
    assert "datastore 'vmstore' will be created by an earlier state" in planned["prod/web"].comment
    assert "will be created by an earlier state" in planned["pull-offsite"].comment
    assert "user 'backup@pbs' will be created by an earlier state" in (
        planned["backup@pbs!pve1"].comment
    )

    applied = pbs_loaders.modules.state.apply(newcomer_sls, pillar=PILLAR)
    assert_all_succeeded(applied)
    for result in applied:
        assert result.changes, result.name
        assert set(result.changes) == set(planned[result.name].changes), result.name
