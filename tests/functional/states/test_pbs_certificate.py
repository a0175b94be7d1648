"""pbs_certificate states through Salt loaders against the simulated PBS."""

import pytest

from tests.support.certs import make_cert
from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def test_custom_round_trip(pbs_states, pbs_simulator, tmp_path):
    cert, key, fingerprint = make_cert()
    (tmp_path / "c.pem").write_text(cert)
    (tmp_path / "k.pem").write_text(key)
    st = pbs_states.pbs_certificate
    args = {"certificate_file": str(tmp_path / "c.pem"), "key_file": str(tmp_path / "k.pem")}
    dry = st.custom("cert", test=True, **args)
    assert dry["result"] is None and dry["changes"]["fingerprint"]["new"] == fingerprint
    assert writes(pbs_simulator.exchanges()) == []
    done = st.custom("cert", **args)
    assert done["result"] is True, done["comment"]
    assert done["changes"]["key"] == {"old": "<hidden>", "new": "<hidden>"}
    assert "PRIVATE KEY" not in repr(done)
    again = st.custom("cert", certificate=cert, key=key)
    assert again["result"] is True and again["changes"] == {}
    assert len(writes(pbs_simulator.exchanges())) == 1
    _, other_key, _ = make_cert()
    bad = st.custom("cert", certificate=make_cert()[0], key=other_key)
    assert bad["result"] is False and "'key'" in bad["comment"]


def test_acme_orders_then_renews_within_renew_days(pbs_states, pbs_modules, pbs_simulator):
    pbs_modules.pbs_node_config.update(acme={"account": "le"}, acmedomain0="pbs.example.com")
    pbs_simulator.state.file("acme/accounts").set("le", "account", {"directory": "x"})
    st = pbs_states.pbs_certificate
    dry = st.acme("acme", test=True)
    assert dry["result"] is None and "ordered" in dry["changes"]["certificate"]["new"]
    done = st.acme("acme")
    assert done["result"] is True, done["comment"]
    assert done["changes"]["certificate"]["new"] == pbs_modules.pbs_certificate.info()["fingerprint"]
    assert st.acme("acme")["changes"] == {}
    renew = st.acme("acme", renew_days=100, test=True)
    assert renew["result"] is None and "renewed" in renew["changes"]["certificate"]["new"]
    assert st.acme("acme", renew_days=100)["result"] is True
    assert ":acme-renew-cert:" in writes(pbs_simulator.exchanges())[-1]["response"]["data"]
