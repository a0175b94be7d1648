"""
A state PBS refuses names what the refused request needs: the privilege and the ACL path
from the kind's own privilege lines, filled in for the object at hand.
"""

from tests.support.helpers import configure_pbs


def _as_token(pbs_loaders, pbs_simulator, pbs_minion_config, name, acl=None):
    secret = pbs_simulator.create_token("root@pam", name)
    if acl:
        pbs_simulator.add_acl(acl[0], f"root@pam!{name}", acl[1])
    block = {k: v for k, v in pbs_minion_config.items() if k not in ("username", "password")}
    configure_pbs(pbs_loaders, {**block, "token_id": f"root@pam!{name}", "token_secret": secret})


def test_a_refused_create_names_the_privilege_and_path(
    pbs_loaders, pbs_simulator, pbs_minion_config
):
    _as_token(pbs_loaders, pbs_simulator, pbs_minion_config, "no-rights")
    ret = pbs_loaders.states.pbs_remote.present(
        "offsite", host="pbs2.example", auth_id="sync@pbs", password="pw-remote"
    )
    assert ret["result"] is False
    assert ret["comment"].startswith("PBS denied permission: ")
    assert ret["comment"].endswith("; needs Remote.Audit on /remote/offsite") or (
        ret["comment"].endswith("; needs Remote.Modify on /remote")
    ), ret["comment"]


def test_a_refused_update_names_the_privilege_on_the_object(
    pbs_loaders, pbs_simulator, pbs_minion_config
):
    assert pbs_loaders.states.pbs_traffic_control.present(
        "perm-tc", rate_in="10 MB", network=["10.0.0.0/8"]
    )["result"] is True
    # may read the rule (Sys.Audit) but not change it
    _as_token(pbs_loaders, pbs_simulator, pbs_minion_config, "audit-only", ("/", "Audit"))
    ret = pbs_loaders.states.pbs_traffic_control.present(
        "perm-tc", rate_in="20 MB", network=["10.0.0.0/8"]
    )
    assert ret["result"] is False
    assert ret["comment"].endswith("(PUT /config/traffic-control/perm-tc); needs Sys.Modify on /")
