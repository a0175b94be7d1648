"""``salt-call pbs.export write_to=...`` against the simulator, then the written SLS
applied by ``salt-call state.apply`` with the pillar filled in: nothing to change, and no
secret in any output or in the minion's debug log."""

import json
import os
import pathlib
import stat

import pytest

from tests.functional.modules.test_pbs_export import FILLED
from tests.functional.modules.test_pbs_export import SECRETS
from tests.functional.modules.test_pbs_export import build_varied_pbs
from tests.functional.modules.test_pbs_export import fill_pillar
from tests.support.helpers import writes

pytestmark = [pytest.mark.integration]


def test_export_write_to_and_apply(salt_call_cli, pbs_sim, pbs_minion, state_tree, tmp_path):
    tokens = build_varied_pbs(pbs_sim)
    out_dir = tmp_path / "export"
    out_dir.mkdir()
    token_dir = tmp_path / "tokens"
    ret = salt_call_cli.run(
        "--local",
        "pbs.export",
        f"write_to={out_dir}",
        f"secret_dir={token_dir}",
        "--out=newline_values_only",
    )
    assert ret.returncode == 0, ret.stderr
    sls = (out_dir / "pbs.sls").read_text(encoding="utf-8")
    pillar_text = (out_dir / "pbs_secrets.sls").read_text(encoding="utf-8")
    assert stat.S_IMODE(os.stat(out_dir / "pbs_secrets.sls").st_mode) == 0o600
    assert "pbs_datastore.present" in sls and "pbs_sync_job.present" in sls

    token_dir.mkdir()
    for tokenid, secret in tokens.items():
        (token_dir / f"{tokenid}.secret").write_text(f"{tokenid}:{secret}\n")
    (state_tree / "pbs_exported.sls").write_text(sls, encoding="utf-8")
    pbs_sim.clear_exchanges()
    applied = salt_call_cli.run(
        "--local",
        "--log-level=debug",
        "state.apply",
        "pbs_exported",
        "test=True",
        f"pillar={json.dumps(fill_pillar(pillar_text, FILLED))}",
    )
    assert applied.returncode == 0, applied.stdout
    results = applied.data
    assert isinstance(results, dict) and len(results) == 26, results
    bad = {k: v["comment"] for k, v in results.items() if v["result"] is not True or v["changes"]}
    assert not bad
    assert not writes(pbs_sim.exchanges())

    log = pathlib.Path(pbs_minion.config["log_file"]).read_text(encoding="utf-8", errors="replace")
    texts = [ret.stdout, ret.stderr, applied.stdout, applied.stderr, log, sls, pillar_text]
    for secret in [*SECRETS.values(), *tokens.values()]:
        for text in texts:
            assert secret not in text
