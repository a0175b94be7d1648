"""
Bad arguments to execution functions that are not catalog properties (task filters, one-off
task options, typed-kind ``type``, realm sync options) are refused before any request is
sent, with an error naming the field; never a traceback, never a request PBS would refuse.
"""

import re

import pytest
from salt.exceptions import SaltInvocationError


def _calls(sim):
    """The API requests the simulator saw, except the ticket login."""
    return [
        (e["method"], e["path"]) for e in sim.exchanges() if not e["path"].endswith("/ticket")
    ]


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"running": "sometimes"}, "running"),
        ({"errors": [1, 2]}, "errors"),
        ({"statusfilter": ["ok", "broken"]}, "statusfilter[1]"),
        ({"statusfilter": {"ok": True}}, "statusfilter"),
        ({"since": "yesterday"}, "since"),
        ({"until": -1}, "until"),
        ({"store": "x"}, "store"),
        ({"start": "zzz"}, "start"),
        ({"limit": [10]}, "limit"),
        ({"userfilter": ["a", "b"]}, "userfilter"),
    ],
)
def test_task_list_refuses_bad_filters_locally(pbs_modules, pbs_simulator, kwargs, field):
    pbs_simulator.clear_exchanges()
    with pytest.raises(SaltInvocationError, match=re.escape(f"'{field}'")):
        pbs_modules.pbs.task_list(**kwargs)
    assert not _calls(pbs_simulator)


def test_task_list_accepts_cli_spellings(pbs_modules, pbs_simulator):
    pbs_simulator.clear_exchanges()
    pbs_modules.pbs.task_list(errors="true", statusfilter="error, warning", limit="5")
    (exchange,) = [e for e in pbs_simulator.exchanges() if e["path"].endswith("/tasks")]
    assert sorted(exchange["query"]) == [
        ["errors", "1"],
        ["limit", "5"],
        ["statusfilter", "error"],
        ["statusfilter", "warning"],
    ]


def test_task_log_refuses_bad_paging_locally(pbs_modules, pbs_simulator):
    pbs_simulator.clear_exchanges()
    upid = "UPID:localhost:000004D2:0001E240:0000002A:6650A1B2:aptupdate::root@pam:"
    with pytest.raises(SaltInvocationError, match="'limit'"):
        pbs_modules.pbs.task_log(upid, limit="all")
    assert not _calls(pbs_simulator)


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"ns": ["a", "b"]}, "ns"),
        ({"ns": "bad ns"}, "ns"),
        ({"max_depth": 9}, "max_depth"),
        ({"max_depth": "deep"}, "max_depth"),
        ({"ignore_verified": "maybe"}, "ignore_verified"),
        ({"outdated_after": -5}, "outdated_after"),
    ],
)
def test_verify_start_refuses_bad_options_locally(pbs_modules, pbs_simulator, kwargs, field):
    pbs_simulator.clear_exchanges()
    with pytest.raises(SaltInvocationError, match=re.escape(f"'{field}'")):
        pbs_modules.pbs_datastore.verify_start("store1", **kwargs)
    assert not _calls(pbs_simulator)


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"ns": {"a": 1}}, "ns"),
        ({"dry_run": "perhaps"}, "dry_run"),
        ({"dry_run": [1]}, "dry_run"),
    ],
)
def test_prune_start_refuses_bad_options_locally(pbs_modules, pbs_simulator, kwargs, field):
    pbs_simulator.clear_exchanges()
    with pytest.raises(SaltInvocationError, match=re.escape(f"'{field}'")):
        pbs_modules.pbs_datastore.prune_start("store1", keep_last=1, **kwargs)
    assert not _calls(pbs_simulator)


def test_acme_tos_refuses_a_list_of_directories_locally(pbs_modules, pbs_simulator):
    pbs_simulator.clear_exchanges()
    with pytest.raises(SaltInvocationError, match="'directory'"):
        pbs_modules.pbs_acme_account.tos(directory=["https://a.example", "https://b.example"])
    assert not _calls(pbs_simulator)


@pytest.mark.parametrize("module", ["pbs_metrics_server", "pbs_notification_endpoint", "pbs_realm"])
@pytest.mark.parametrize("bad_type", [["ldap", "ad"], {"type": "ldap"}])
def test_typed_kinds_refuse_a_type_that_is_not_text(pbs_modules, pbs_simulator, module, bad_type):
    functions = getattr(pbs_modules, module)
    pbs_simulator.clear_exchanges()
    for call in (
        lambda: functions.get("x1", type=bad_type),
        lambda: functions.create("x1", type=bad_type),
        lambda: functions.update("x1", type=bad_type),
        lambda: functions.delete("x1", type=bad_type),
    ):
        with pytest.raises(SaltInvocationError, match="'type'"):
            call()
    assert not _calls(pbs_simulator)


@pytest.mark.parametrize("remove_vanished", [[1, 2], ["acl", 7], "acl;nothing"])
def test_realm_sync_refuses_bad_remove_vanished_locally(
    pbs_modules, pbs_simulator, remove_vanished
):
    pbs_simulator.clear_exchanges()
    with pytest.raises(SaltInvocationError, match="'remove_vanished'"):
        pbs_modules.pbs_realm.sync("corp", remove_vanished=remove_vanished)
    assert not _calls(pbs_simulator)


UPID = "UPID:localhost:000004D2:0001E240:0000002A:6650A1B2:aptupdate::root@pam:"


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"timeout": "abc"}, "timeout"),
        ({"timeout": -5}, "timeout"),
        ({"timeout": [30]}, "timeout"),
        ({"poll_interval": -1}, "poll_interval"),
        ({"poll_interval": "nan"}, "poll_interval"),
    ],
)
def test_task_wait_refuses_bad_durations_locally(pbs_modules, pbs_simulator, kwargs, field):
    pbs_simulator.clear_exchanges()
    with pytest.raises(SaltInvocationError) as err:
        pbs_modules.pbs.task_wait(UPID, **kwargs)
    assert str(err.value).startswith(
        f"Invalid value for '{field}': expected a positive number of seconds"
    )
    assert not _calls(pbs_simulator)


@pytest.mark.parametrize(
    "function,args,field",
    [
        ("pbs_datastore.gc_start", ("store1",), "task_timeout"),
        ("pbs_sync_job.run", ("any-job",), "task_timeout"),
        ("pbs_apt.update", (), "timeout"),
        ("pbs_service.restart", ("proxmox-backup-proxy",), "timeout"),
    ],
)
def test_a_task_wait_that_is_not_a_number_is_refused_before_the_task_starts(
    pbs_modules, pbs_simulator, function, args, field
):
    pbs_simulator.clear_exchanges()
    with pytest.raises(SaltInvocationError, match=f"Invalid value for '{field}'"):
        pbs_modules[function](*args, wait=True, **{field: "soon"})
    assert not _calls(pbs_simulator)


@pytest.mark.parametrize(
    "function,kwargs",
    [
        ("pbs_remote.create", {"name": "remote1", "host": "h", "auth_id": "a@pbs", "auth-id": "b@pbs",
                               "password": "x"}),
        ("pbs_datastore.update", {"name": "store1", "gc_schedule": "daily",
                                  "gc-schedule": "weekly"}),
    ],
)
def test_functions_refuse_a_property_under_two_spellings(
    pbs_modules, pbs_simulator, function, kwargs
):
    pbs_simulator.clear_exchanges()
    with pytest.raises(SaltInvocationError, match="property given twice, as '"):
        pbs_modules[function](**kwargs)
    assert not _calls(pbs_simulator)


def test_states_refuse_a_property_under_two_spellings(pbs_states, pbs_simulator):
    pbs_simulator.clear_exchanges()
    ret = pbs_states.pbs_traffic_control.present(
        "tc-two-spellings", rate_in="10MB", **{"rate-in": "20MB"}, network=["0.0.0.0/0"]
    )
    assert ret["result"] is False
    assert "given twice, as 'rate_in' and as 'rate-in'" in ret["comment"]
    assert ret["changes"] == {}
    assert not _calls(pbs_simulator)
