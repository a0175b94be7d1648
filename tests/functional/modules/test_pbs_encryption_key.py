"""pbs_encryption_key execution module through Salt loaders against the simulated PBS."""

import base64
import json
import os

import pytest
from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils.flows.encryption_keys import fingerprint

pytestmark = pytest.mark.usefixtures("pbs_loaders")

RAW = bytes(range(32))
KEY_CONFIG = {
    "kdf": None,
    "created": "2026-01-02T03:04:05+00:00",
    "modified": "2026-01-02T03:04:05+00:00",
    "data": base64.b64encode(RAW).decode(),
    "fingerprint": fingerprint(RAW),
}


def _logged_text(sim):
    with open(sim.request_log, encoding="utf-8") as fh:
        return fh.read()


def test_generate_list_archive_delete(pbs_modules, pbs_simulator, tmp_path):
    mod = pbs_modules.pbs_encryption_key
    sink = tmp_path / "push.key"
    made = mod.create("push-2026", secret_file=str(sink))
    assert made["key_written_to"] == str(sink) and made["archived"] is False
    assert oct(os.stat(sink).st_mode & 0o777) == "0o600"
    written = json.loads(sink.read_text())
    # the sink holds the key; the fingerprint PBS shows is the key's
    assert made["fingerprint"] == fingerprint(base64.b64decode(written["data"]))
    assert written["data"] not in repr(made) and written["data"] not in _logged_text(pbs_simulator)
    assert [k["id"] for k in mod.list()] == ["push-2026"]
    assert mod.archive("push-2026")["archived"] is True
    assert mod.list() == [] and mod.get("push-2026")["archived"] is True
    assert mod.unarchive("push-2026")["archived"] is False
    with pytest.raises(CommandExecutionError, match="only possible for archived keys"):
        mod.delete("push-2026")
    mod.archive("push-2026")
    assert mod.delete("push-2026") is True
    assert mod.get("push-2026") is None


def test_import_from_file_and_pillar_text(pbs_modules, pbs_simulator, tmp_path):
    mod = pbs_modules.pbs_encryption_key
    path = tmp_path / "old.key"
    path.write_text(json.dumps(KEY_CONFIG))
    assert mod.create("imported", key_file=str(path))["fingerprint"] == fingerprint(RAW)
    with pytest.raises(CommandExecutionError, match="already exists"):
        mod.create("imported", key=json.dumps(KEY_CONFIG))
    assert KEY_CONFIG["data"] not in _logged_text(pbs_simulator)


@pytest.mark.parametrize(
    "key,reason",
    [
        ("not json", "not JSON"),
        (json.dumps({**KEY_CONFIG, "kdf": {"Scrypt": {}}}), "password-protected"),
        (json.dumps({**KEY_CONFIG, "data": base64.b64encode(b"short").decode()}), "5 bytes"),
        (json.dumps({**KEY_CONFIG, "fingerprint": "00:" * 31 + "00"}), "does not match"),
    ],
)
def test_bad_key_material_is_refused_before_any_request(pbs_modules, pbs_simulator, key, reason):
    with pytest.raises(SaltInvocationError, match=reason) as excinfo:
        pbs_modules.pbs_encryption_key.create("bad-key", key=key)
    assert "'key'" in str(excinfo.value) and KEY_CONFIG["data"] not in str(excinfo.value)
    assert pbs_simulator.exchanges() == []


def test_generated_key_needs_a_sink(pbs_modules, pbs_simulator):
    with pytest.raises(SaltInvocationError, match="secret_file"):
        pbs_modules.pbs_encryption_key.create("push-2026")
    assert pbs_simulator.exchanges() == []


def test_key_in_use_by_a_sync_job(pbs_modules, pbs_simulator, stores, tmp_path):
    mod = pbs_modules.pbs_encryption_key
    mod.create("push-2026", secret_file=str(tmp_path / "k"))
    pbs_modules.pbs_sync_job.create(
        "push-1", store="store1", remote="offsite", remote_store="drs",
        sync_direction="push", active_encryption_key="push-2026",
    )
    with pytest.raises(CommandExecutionError, match="in use by sync job 'push-1'"):
        mod.archive("push-2026")
    with pytest.raises(CommandExecutionError, match="in use by sync job 'push-1'"):
        mod.delete("push-2026")
    assert mod.get("push-2026")["archived"] is False
