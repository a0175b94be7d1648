"""``pbs_tfa`` states applied by a real ``salt-call --local`` against the simulator: recovery
keys and a TOTP entry added once (after a ``test=True`` dry run), re-applied with 0 changes,
removed; the user's login asks for a second factor only while one exists; no secret in
salt-call's output or the request-log file."""

import pathlib

import pytest
import requests

from saltext.pbs.utils.flows import tfa as tfa_flows

pytestmark = [pytest.mark.integration]

USER = "int-tfa@pbs"
PASSWORD = "int-tfa-password"
SECRET = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U"


def _asks_second_factor(sim):
    resp = requests.post(sim.url + "/api2/json/access/ticket",
                         data={"username": USER, "password": PASSWORD},
                         verify=sim.ca_file, timeout=30)
    assert resp.status_code == 200, resp.text
    return resp.json()["data"]["CSRFPreventionToken"] == "invalid"


def test_recovery_and_totp(scenario, pbs_sim, pbs_minion, tmp_path):
    if scenario.api.find("/access/users", "userid", USER) is None:
        scenario.api.post("/access/users", {"userid": USER, "password": PASSWORD})
    sink = tmp_path / "int-tfa.recovery"
    recovery = (f"f:\n  pbs_tfa.present:\n    - name: {USER}\n    - type: recovery\n"
                f"    - secret_file: {sink}\n")
    dry = scenario.apply(recovery, test=True)
    assert dry.state["result"] is None and dry.writes == [] and not sink.exists()
    done = scenario.apply(recovery)
    assert done.state["result"] is True, done.state["comment"]
    keys = tfa_flows.recovery_keys(sink.read_text(encoding="utf-8"))
    assert len(keys) == 10 and _asks_second_factor(pbs_sim)
    again = scenario.apply(recovery)
    assert again.state["changes"] == {} and again.writes == []

    totp = (f"f:\n  pbs_tfa.present:\n    - name: {USER}\n    - type: totp\n"
            f"    - description: phone\n    - secret: {SECRET}\n")
    added = scenario.apply(totp)
    assert added.state["result"] is True and added.state["changes"]["new"]["secret"] == "<hidden>"
    assert scenario.apply(totp).state["changes"] == {}

    for absent in (f"f:\n  pbs_tfa.absent:\n    - name: {USER}\n    - type: recovery\n",
                   f"f:\n  pbs_tfa.absent:\n    - name: {USER}\n    - description: phone\n"):
        assert scenario.apply(absent, test=True).writes == []
        gone = scenario.apply(absent)
        assert gone.state["result"] is True and gone.state["changes"]["new"] is None
        assert scenario.apply(absent).state["changes"] == {}
    assert scenario.api.get(f"/access/tfa/{USER}") == []
    assert not _asks_second_factor(pbs_sim)

    texts = [a.output for a in (dry, done, again, added)]
    texts.append(pathlib.Path(pbs_sim.request_log).read_text(encoding="utf-8"))
    # the minion log (debug level) records the TFA requests, never their secrets
    minion_log = pathlib.Path(pbs_minion.config["log_file"]).read_text(encoding="utf-8")
    assert "/access/tfa/" in minion_log
    texts.append(minion_log)
    for text in texts:
        assert SECRET not in text and not any(key in text for key in keys)


def test_browser_factor_refused(scenario):
    ret = scenario.apply(f"f:\n  pbs_tfa.present:\n    - name: {USER}\n    - type: webauthn\n"
                         "    - description: key\n")
    assert ret.state["result"] is False and "needs a browser" in ret.state["comment"]
    assert ret.writes == []
