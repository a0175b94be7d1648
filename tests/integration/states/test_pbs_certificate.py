"""``pbs_certificate.custom`` and ``pbs_certificate.acme`` applied by a real ``salt-call
--local`` against the simulator: uploaded (after a ``test=True`` dry run), ``info`` shows
its fingerprint, a re-apply changes nothing, another certificate is one change; an ACME
order against the simulated CA changes ``info``. The key never shows."""

import pathlib

import pytest

from tests.support.certs import make_cert

pytestmark = [pytest.mark.integration]
INFO = "/nodes/localhost/certificates/info"


def _custom(tmp_path, cert, key):
    (tmp_path / "c.pem").write_text(cert)
    (tmp_path / "k.pem").write_text(key)
    return (f"cert:\n  pbs_certificate.custom:\n    - certificate_file: {tmp_path / 'c.pem'}\n"
            f"    - key_file: {tmp_path / 'k.pem'}\n")


def test_custom(scenario, pbs_sim, tmp_path):
    cert, key, fingerprint = make_cert()
    sls = _custom(tmp_path, cert, key)
    dry = scenario.apply(sls, test=True)
    assert dry.state["result"] is None and dry.writes == []
    assert scenario.api.get(INFO)[0]["fingerprint"] == pbs_sim.fingerprint
    done = scenario.apply(sls)
    assert done.state["result"] is True, done.state["comment"]
    assert scenario.api.get(INFO)[0]["fingerprint"] == fingerprint
    (post,) = done.writes
    assert post["body"]["key"] == "***"
    again = scenario.apply(sls)
    assert again.state["changes"] == {} and again.writes == []
    cert2, key2, fingerprint2 = make_cert("pbs2.example.com")
    changed = scenario.apply(_custom(tmp_path, cert2, key2))
    assert changed.state["changes"]["fingerprint"] == {"old": fingerprint, "new": fingerprint2}
    log = pathlib.Path(pbs_sim.request_log).read_text(encoding="utf-8")
    for text in (done.output, changed.output, log):
        assert key.splitlines()[1] not in text and key2.splitlines()[1] not in text


def test_acme(scenario, pbs_sim):
    pbs_sim.state.file("acme/accounts").set("le", "account", {"directory": "x"})
    scenario.api.put("/nodes/localhost/config",
                     {"acme": "account=le", "acmedomain0": "int.example.com"})
    sls = "acme:\n  pbs_certificate.acme:\n    - renew_days: 30\n"
    dry = scenario.apply(sls, test=True)
    assert dry.state["result"] is None and dry.writes == []
    done = scenario.apply(sls)
    assert done.state["result"] is True, done.state["comment"]
    info = scenario.api.get(INFO)[0]
    assert info["san"] == ["int.example.com"]
    assert done.state["changes"]["certificate"]["new"] == info["fingerprint"]
    again = scenario.apply(sls)
    assert again.state["changes"] == {} and again.writes == []
