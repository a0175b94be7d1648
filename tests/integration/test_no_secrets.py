"""No secret ever shows up in what a user or an operator can read.

Token-auth and ticket-auth ``salt-call`` sequences run at debug log level; their output,
the minion log file and the simulator's request-log file must not contain the password,
the token secret, or any ticket or CSRF token the simulator issued (taken from its unmasked
exchanges).
"""

import pathlib
import secrets
import textwrap

import pytest

from tests.support.helpers import issued_credentials
from tests.support.helpers import pbs_config_for

pytestmark = [pytest.mark.integration]

SLS = textwrap.dedent("""
    secret-scan:
      pbs_datastore.present:
        - path: /mnt/secret-scan
        - comment: scanning for secrets
    """)


@pytest.fixture
def run_sequence(salt_call_cli, state_tree, pbs_minion, pbs_sim):
    """Run a salt-call sequence at debug level; return every text an operator could read."""
    (state_tree / "secret_scan.sls").write_text(SLS, encoding="utf-8")
    log_file = pathlib.Path(pbs_minion.config["log_file"])

    def run(calls=None):
        outputs = []
        calls = calls or [
            ("pbs.version",),
            ("state.apply", "secret_scan", "test=True"),
            ("state.apply", "secret_scan"),
            ("pbs_datastore.get", "secret-scan"),
        ]
        for call in calls:
            ret = salt_call_cli.run("--local", "--log-level=debug", *call)
            outputs.append(f"$ salt-call {' '.join(call)}\n{ret.stdout}\n{ret.stderr}")
        texts = {"salt-call output": "\n".join(outputs)}
        texts["minion log"] = log_file.read_text(encoding="utf-8", errors="replace")
        # the log really is at debug level and records the PBS requests (method and path)
        assert "/config/datastore" in texts["minion log"]
        texts["request log"] = pathlib.Path(pbs_sim.request_log).read_text(encoding="utf-8")
        return texts

    return run


def _assert_clean(texts, needles):
    for where, text in texts.items():
        for label, needle in needles.items():
            assert needle not in text, f"{label} found in the {where}"


def test_token_auth_sequence_leaks_nothing(pbs_sim, pbs_block_file, run_sequence):
    secret = pbs_sim.create_token("root@pam", "saltscan")
    pbs_sim.add_acl("/", "root@pam!saltscan", "Admin")
    block = pbs_config_for(pbs_sim)
    del block["username"], block["password"]
    block.update(token_id="root@pam!saltscan", token_secret=secret)
    pbs_block_file(block)

    texts = run_sequence()
    assert "created" in texts["salt-call output"]  # the sequence really did its work
    _assert_clean(texts, {"token secret": secret, "simulator password": pbs_sim.password})


def test_ticket_auth_sequence_leaks_nothing(pbs_sim, pbs_block_file, run_sequence):
    wrong = "wrong-" + secrets.token_urlsafe(12)
    bad_block = pbs_config_for(pbs_sim, password=wrong)
    pbs_block_file(pbs_config_for(pbs_sim))

    texts = run_sequence()
    issued = issued_credentials(pbs_sim)
    assert issued, "the ticket sequence should have logged in"
    needles = {"password": pbs_sim.password}
    needles.update({f"ticket/CSRF value #{i}": value for i, value in enumerate(sorted(issued))})
    _assert_clean(texts, needles)

    # A failed login names the cause, never the password it tried.
    pbs_block_file(bad_block)
    texts = run_sequence(calls=[("pbs_datastore.get", "secret-scan")])
    assert (
        "authentication" in texts["salt-call output"].lower() or "401" in texts["salt-call output"]
    )
    _assert_clean(texts, {"wrong password": wrong})


def test_encryption_key_material_leaks_nothing(pbs_sim, pbs_block_file, run_sequence, tmp_path):
    import base64  # pylint: disable=import-outside-toplevel
    import json  # pylint: disable=import-outside-toplevel

    raw = secrets.token_bytes(32)
    imported = tmp_path / "imported.key"
    imported.write_text(json.dumps({
        "kdf": None, "created": "2026-01-02T03:04:05+00:00",
        "modified": "2026-01-02T03:04:05+00:00", "data": base64.b64encode(raw).decode(),
    }), encoding="utf-8")
    sink = tmp_path / "generated.key"
    pbs_block_file(pbs_config_for(pbs_sim))
    texts = run_sequence(calls=[
        ("pbs_encryption_key.create", "scan-imported", f"key_file={imported}"),
        ("pbs_encryption_key.create", "scan-generated", f"secret_file={sink}"),
        ("pbs_encryption_key.list",),
        ("pbs_datastore.get", "secret-scan"),
    ])
    assert "scan-generated" in texts["salt-call output"]
    generated = json.loads(sink.read_text(encoding="utf-8"))["data"]
    _assert_clean(texts, {"imported key": base64.b64encode(raw).decode(),
                          "generated key": generated})
