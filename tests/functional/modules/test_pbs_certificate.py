"""pbs_certificate execution module through Salt loaders against the simulated PBS."""

import datetime

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from tests.support.certs import make_cert
from tests.support.helpers import writes

pytestmark = pytest.mark.usefixtures("pbs_loaders")


def test_upload_info_delete_round_trip(pbs_modules, pbs_simulator):
    mod = pbs_modules.pbs_certificate
    assert mod.info()["fingerprint"] == pbs_simulator.fingerprint
    cert, key, fingerprint = make_cert()
    assert mod.local_fingerprint(cert) == fingerprint
    done = mod.upload(cert, key)
    assert done["fingerprint"] == fingerprint and "pem" in done
    assert mod.info()["fingerprint"] == fingerprint
    assert "PRIVATE KEY" not in repr(done)
    assert mod.delete_custom() is True
    assert mod.info()["fingerprint"] == pbs_simulator.fingerprint


def _bad_inputs():
    cert, key, _ = make_cert()
    _, other_key, _ = make_cert()
    old = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=30)
    expired, expired_key, _ = make_cert(days=1, start=old)
    return [
        ("not pem", key, "'certificate': not PEM"),
        (cert, "garbage", "'key': not PEM"),
        (cert, other_key, "'key': it is not the key of the certificate"),
        (expired, expired_key, "'certificate': it expired"),
        (key, key, "'certificate': the PEM text holds no CERTIFICATE"),
    ]


@pytest.mark.parametrize("index", range(5))
def test_bad_input_refused_before_any_request(pbs_modules, pbs_simulator, index):
    cert, key, message = _bad_inputs()[index]
    with pytest.raises(SaltInvocationError, match=message) as err:
        pbs_modules.pbs_certificate.upload(cert, key)
    assert "PRIVATE KEY-----\n" not in str(err.value)
    assert pbs_simulator.exchanges() == []


def test_acme_order_and_renew(pbs_modules, pbs_simulator):
    mod = pbs_modules.pbs_certificate
    with pytest.raises(SaltInvocationError, match="No ACME domain"):
        mod.acme_order()
    pbs_modules.pbs_node_config.update(acme={"account": "le"}, acmedomain0="pbs.example.com")
    pbs_simulator.state.file("acme/accounts").set("le", "account", {"directory": "x"})
    pbs_simulator.state.runtime["acme-ca-error"] = "error sending request for url"
    with pytest.raises(CommandExecutionError, match="error sending request"):
        mod.acme_order()
    assert mod.info()["fingerprint"] == pbs_simulator.fingerprint
    del pbs_simulator.state.runtime["acme-ca-error"]
    done = mod.acme_order()
    assert done["exitstatus"] == "OK" and ":acme-new-cert:" in done["upid"]
    ordered = mod.info()
    assert ordered["san"] == ["pbs.example.com"]
    with pytest.raises(CommandExecutionError, match="does not expire within"):
        mod.acme_renew()
    assert mod.acme_renew(force=True, wait=False).startswith("UPID:")
    assert [w["method"] for w in writes(pbs_simulator.exchanges())][-1] == "PUT"
