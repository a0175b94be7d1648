"""``pbs_tape_key.present`` / ``absent`` applied by a real ``salt-call --local`` against the
simulator: created (after a ``test=True`` dry run), re-applied with 0 changes, its password
changed, a media pool of the same run encrypting with it by hint, removed; the passwords
never show in salt-call's output (at debug level), the minion log or the request-log
file."""

import pathlib
import textwrap

import pytest

from tests.support.helpers import writes

pytestmark = [pytest.mark.integration]

HINT = "int vault key"
PASSWORD = "int-key-pass-1"
NEW_PASSWORD = "int-key-pass-2"
KEYS = "/config/tape-encryption-keys"


def _present(password, current=None):
    sls = f"key:\n  pbs_tape_key.present:\n    - name: {HINT}\n    - password: {password}\n"
    if current:
        sls += f"    - current_password: {current}\n"
    return sls


ABSENT = f"key:\n  pbs_tape_key.absent:\n    - name: {HINT}\n"

KEY_AND_POOL = textwrap.dedent(f"""
    key:
      pbs_tape_key.present:
        - name: {HINT}
        - password: {NEW_PASSWORD}
    int-key-pool:
      pbs_media_pool.present:
        - encrypt_key: {HINT}
        - require:
          - pbs_tape_key: key
    """)


def test_tape_key(scenario, pbs_sim, salt_call_cli, state_tree, pbs_minion):
    dry = scenario.apply(_present(PASSWORD), test=True)
    assert dry.state["result"] is None and dry.writes == []
    assert scenario.api.get(KEYS) == []
    done = scenario.apply(_present(PASSWORD))
    assert done.state["result"] is True, done.state["comment"]
    (post,) = done.writes
    assert post["body"]["password"] == "***" and post["body"]["hint"] == HINT
    (key,) = scenario.api.get(KEYS)
    assert done.state["changes"]["new"]["fingerprint"] == key["fingerprint"]
    again = scenario.apply(_present(PASSWORD))
    assert again.state["changes"] == {} and again.writes == []

    wrong = scenario.apply(_present(NEW_PASSWORD))
    assert wrong.state["result"] is False and "current_password" in wrong.state["comment"]
    changed = scenario.apply(_present(NEW_PASSWORD, current=PASSWORD))
    assert changed.state["changes"] == {"password": {"old": "<hidden>", "new": "<hidden>"}}
    (put,) = changed.writes
    assert put["body"]["password"] == "***" and put["body"]["new-password"] == "***"

    # the key and a pool naming it by hint in one run
    (state_tree / "key_and_pool.sls").write_text(KEY_AND_POOL, encoding="utf-8")
    both = salt_call_cli.run("--local", "--log-level=debug", "state.apply", "key_and_pool")
    results = {r["__id__"]: r for r in both.data.values()}
    assert results["key"]["changes"] == {} and results["int-key-pool"]["result"] is True
    pool = scenario.api.get("/config/media-pool/int-key-pool")
    assert pool["encrypt"] == key["fingerprint"]
    both_again = salt_call_cli.run("--local", "state.apply", "key_and_pool")
    assert all(r["changes"] == {} for r in both_again.data.values())
    scenario.api.delete("/config/media-pool/int-key-pool")

    dry = scenario.apply(ABSENT, test=True)
    assert dry.state["result"] is None and dry.writes == []
    gone = scenario.apply(ABSENT)
    assert gone.state["changes"]["old"]["fingerprint"] == key["fingerprint"]
    assert scenario.api.get(KEYS) == []
    assert scenario.apply(ABSENT).state["changes"] == {}

    texts = [a.output for a in (dry, done, again, wrong, changed, gone)]
    texts += [both.stdout, both.stderr]
    texts.append(pathlib.Path(pbs_sim.request_log).read_text(encoding="utf-8"))
    texts.append(pathlib.Path(pbs_minion.config["log_file"]).read_text(encoding="utf-8"))
    for text in texts:
        assert PASSWORD not in text and NEW_PASSWORD not in text


def test_short_password_refused_before_any_write(scenario):
    ret = scenario.apply(_present("abcd"))
    assert ret.state["result"] is False and "'password'" in ret.state["comment"]
    assert writes(ret.requests) == [] and "abcd" not in ret.state["comment"]
