"""``pbs.export`` against the simulator: a PBS built by plain API calls is exported, and
the exported SLS (with its pillar filled in) applied with ``test=True`` to the same PBS
changes nothing."""

import base64
import os
import stat

import pytest
import salt.utils.yaml

from saltext.pbs.simulator import Simulator
from tests.support.helpers import RawApi
from tests.support.helpers import configure_pbs
from tests.support.helpers import pbs_config_for
from tests.support.helpers import writes


# Secret values the build sends; none of them may ever appear in an export.
SECRETS = {
    "s3_secret": "s3-SECRET-key-0123456789",
    "remote_password": "remote-PASSWORD-987654",
    "alice_password": "alice-PASSWORD-5555",
    "gotify_token": "gotify-TOKEN-abcdef",
    "webhook_secret": "webhook-SECRET-xyz",
    "metrics_token": "influx-TOKEN-42424242",
    "acme_token": "cloudflare-TOKEN-777",
}


def _b64(text):
    return base64.b64encode(text.encode()).decode()


def build_varied_pbs(sim):
    """A hand-built PBS, through plain API calls. Returns ``{tokenid: secret}``."""
    api = RawApi(sim)

    def task(upid):
        for _ in range(400):
            status = api.get(f"/nodes/localhost/tasks/{upid}/status")
            if status["status"] == "stopped":
                assert status["exitstatus"] == "OK", status
                return
            sim.clock.advance(1)
        raise AssertionError(f"task {upid} did not finish")

    api.post(
        "/config/s3",
        {
            "id": "objstore",
            "endpoint": "{{bucket}}.s3.{{region}}.example.com",
            "region": "eu-central-1",
            "access-key": "AKIAEXAMPLE",
            "secret-key": SECRETS["s3_secret"],
            "path-style": True,
        },
    )
    task(
        api.post(
            "/config/datastore",
            {
                "name": "store1",
                "path": "/backup/store1",
                "comment": "main store",
                "gc-schedule": "daily",
                "tuning": "chunk-order=none,sync-level=file",
                "notification-mode": "notification-system",
                "verify-new": False,
            },
        )
    )
    task(
        api.post(
            "/config/datastore",
            {
                "name": "s3store",
                "path": "/cache/s3store",
                "backend": "type=s3,client=objstore,bucket=pbs-bucket",
            },
        )
    )
    for ns in ("prod", "prod/vms", "dev"):
        parent, _, name = ns.rpartition("/")
        body = {"name": name, **({"parent": parent} if parent else {})}
        api.post("/admin/datastore/store1/namespace", body)
    api.post(
        "/config/remote",
        {
            "name": "offsite",
            "host": "pbs2.example.com",
            "auth-id": "sync@pbs!pull",
            "password": SECRETS["remote_password"],
            "fingerprint": ":".join(["ab"] * 32),
            "comment": "offsite copy",
        },
    )
    api.post(
        "/config/sync",
        {
            "id": "pull-offsite",
            "store": "store1",
            "remote": "offsite",
            "remote-store": "remote1",
            "ns": "prod",
            "max-depth": 1,
            "schedule": "hourly",
            "remove-vanished": True,
            "group-filter": ["type:vm", "exclude:group:vm/100"],
        },
    )
    api.post(
        "/config/sync",
        {
            "id": "push-offsite",
            "store": "store1",
            "remote": "offsite",
            "remote-store": "remote2",
            "sync-direction": "push",
            "schedule": "daily",
            "rate-out": "10 MiB",
        },
    )
    api.post(
        "/config/prune",
        {
            "id": "prune-store1",
            "store": "store1",
            "schedule": "daily",
            "keep-last": 3,
            "keep-daily": 7,
            "ns": "prod",
        },
    )
    api.post(
        "/config/verify",
        {"id": "verify-store1", "store": "store1", "schedule": "weekly", "outdated-after": 30},
    )
    api.post(
        "/access/users",
        {
            "userid": "alice@pbs",
            "password": SECRETS["alice_password"],
            "email": "alice@example.com",
            "comment": "backup operator",
        },
    )
    api.post("/access/users", {"userid": "bob@pam", "enable": False})
    token = api.post("/access/users/alice@pbs/token/automation", {"comment": "ci"})
    api.put(
        "/access/acl",
        {"path": "/datastore/store1", "auth-id": "alice@pbs", "role": "DatastoreAdmin"},
    )
    api.put(
        "/access/acl",
        {
            "path": "/datastore/store1/prod",
            "auth-id": "alice@pbs!automation",
            "role": "DatastoreBackup",
            "propagate": False,
        },
    )
    api.post(
        "/config/notifications/endpoints/gotify",
        {
            "name": "gotify1",
            "server": "https://gotify.example.com",
            "token": SECRETS["gotify_token"],
        },
    )
    api.post(
        "/config/notifications/endpoints/webhook",
        {
            "name": "chat",
            "url": "https://chat.example.com/hook",
            "method": "post",
            "body": _b64('{"text": "{{ title }}"}'),
            "header": [f"name=Content-Type,value={_b64('application/json')}"],
            "secret": [f"name=token,value={_b64(SECRETS['webhook_secret'])}"],
        },
    )
    api.post(
        "/config/notifications/matchers",
        {
            "name": "errors",
            "target": ["gotify1", "chat"],
            "match-severity": ["error"],
            "mode": "any",
        },
    )
    api.post(
        "/config/metrics/influxdb-http",
        {
            "name": "influx",
            "url": "https://influx.example.com:8086",
            "token": SECRETS["metrics_token"],
            "organization": "ops",
            "enable": False,
        },
    )
    api.post("/config/metrics/influxdb-udp", {"name": "influx-udp", "host": "10.0.0.5:8089"})
    api.post(
        "/config/traffic-control",
        {
            "name": "office-hours",
            "network": ["10.0.0.0/8", "192.168.0.0/16"],
            "rate-in": "100 MiB",
            "timeframe": ["mon..fri 8:00-18:00"],
        },
    )
    api.post(
        "/config/acme/plugins",
        {
            "id": "dns-cf",
            "type": "dns",
            "api": "cf",
            "data": _b64(f"CF_Token={SECRETS['acme_token']}\nCF_Account_ID=1234\n"),
        },
    )
    api.post("/config/media-pool", {"name": "weekly", "retention": "30 days"})
    return {token["tokenid"]: token["value"]}


def _leaves(node):
    """Every text value in the simulator's store of write-only secrets."""
    if isinstance(node, dict):
        return [leaf for value in node.values() for leaf in _leaves(value)]
    if isinstance(node, list):
        return [leaf for value in node for leaf in _leaves(value)]
    if not isinstance(node, str):
        return []
    # webhook secrets are kept as "name=<n>,value=<base64>": the value part counts too
    return [node, node.split("value=", 1)[1]] if "value=" in node else [node]


def _known_secrets(tokens):
    return [*SECRETS.values(), *tokens.values()]


def fill_pillar(pillar_text, values):
    """The exported pillar template with every placeholder filled from ``values``."""
    data = salt.utils.yaml.safe_load(pillar_text)

    def fill(node, path):
        for key, value in node.items():
            if isinstance(value, dict):
                fill(value, (*path, key))
            else:
                assert value == "", f"placeholder {path + (key,)} is not empty"
                node[key] = values[(*path, key)]

    fill(data, ())
    return data


FILLED = {
    ("pbs_secrets", "s3_endpoint", "objstore", "secret_key"): SECRETS["s3_secret"],
    ("pbs_secrets", "remote", "offsite", "password"): SECRETS["remote_password"],
    ("pbs_secrets", "notification_endpoint", "gotify1", "token"): SECRETS["gotify_token"],
    ("pbs_secrets", "notification_endpoint", "chat", "secret", "token"): SECRETS[
        "webhook_secret"
    ],
    ("pbs_secrets", "acme_plugin", "dns-cf", "data", "CF_Token"): SECRETS["acme_token"],
    ("pbs_secrets", "acme_plugin", "dns-cf", "data", "CF_Account_ID"): "1234",
}


@pytest.fixture
def varied(pbs_simulator):
    return build_varied_pbs(pbs_simulator)


def test_export_round_trip(pbs_loaders, pbs_simulator, varied, state_tree, tmp_path):
    token_dir = tmp_path / "tokens"
    ret = pbs_loaders.modules.pbs.export(secret_dir=str(token_dir))
    known = _known_secrets(varied) + _leaves(pbs_simulator.state.secrets)
    assert SECRETS["remote_password"] in known and len(known) > len(SECRETS)
    for secret in known:
        assert secret not in ret["sls"]
        assert secret not in ret["pillar"]
        assert secret not in repr(ret)
    assert {(s["kind"], s["name"]) for s in ret["skipped"]} == {
        ("user", "root@pam"),
        ("notification_endpoint", "mail-to-root"),
        ("notification_matcher", "default-matcher"),
        ("acme_plugin", "standalone"),
    }
    rendered_states = salt.utils.yaml.safe_load(
        # the Jinja lookups are not YAML until rendered: read only the state ids here
        "\n".join(line for line in ret["sls"].splitlines() if not line.startswith(" "))
        .replace(":\n", ": null\n")
    )
    assert ret["objects"] == len(rendered_states) == 26

    # the token secret goes where the exported state looks for it
    token_dir.mkdir()
    for tokenid, secret in varied.items():
        (token_dir / f"{tokenid}.secret").write_text(f"{tokenid}:{secret}\n")
    (state_tree / "pbs_export.sls").write_text(ret["sls"])
    pillar = fill_pillar(ret["pillar"], FILLED)

    pbs_simulator.clear_exchanges()
    result = pbs_loaders.modules.state.sls("pbs_export", test=True, pillar=pillar).raw
    assert isinstance(result, dict), result
    assert len(result) == 26
    not_clean = {
        key: (value["result"], value["comment"], value["changes"])
        for key, value in result.items()
        if value["result"] is not True or value["changes"]
    }
    assert not not_clean
    assert not writes(pbs_simulator.exchanges())


def _state_args(show, state_id):
    (module,) = [k for k in show[state_id] if not k.startswith("__")]
    items = [item for item in show[state_id][module] if isinstance(item, dict)]
    return {key: value for item in items for key, value in item.items()}


def test_exported_secrets_render_from_pillar(pbs_loaders, varied, state_tree, tmp_path):
    """The pillar lookups render the real values (Salt 3008 masks pillar output elsewhere),
    and an unfilled key fails the render instead of sending an empty secret."""
    ret = pbs_loaders.modules.pbs.export(kinds="remote,notification_endpoint")
    (state_tree / "pbs_export_secrets.sls").write_text(ret["sls"])
    pillar = fill_pillar(ret["pillar"], FILLED)
    show = pbs_loaders.modules.state.show_sls("pbs_export_secrets", pillar=pillar)
    assert _state_args(show, "pbs_remote offsite")["password"] == SECRETS["remote_password"]
    chat = _state_args(show, "pbs_notification_endpoint chat")
    assert chat["secret"] == {"token": SECRETS["webhook_secret"]}
    assert chat["body"] == '{"text": "{{ title }}"}'

    del pillar["pbs_secrets"]["remote"]
    errors = pbs_loaders.modules.state.show_sls("pbs_export_secrets", pillar=pillar)
    assert isinstance(errors, list) and "has no attribute 'remote'" in errors[0]


def test_export_write_to(pbs_loaders, varied, tmp_path):
    ret = pbs_loaders.modules.pbs.export(kinds=["datastore", "remote"], write_to=str(tmp_path))
    sls, pillar = tmp_path / "pbs.sls", tmp_path / "pbs_secrets.sls"
    assert ret["written"] == [str(sls), str(pillar)]
    assert sls.read_text() == ret["sls"]
    assert pillar.read_text() == ret["pillar"]
    assert stat.S_IMODE(os.stat(pillar).st_mode) == 0o600
    assert ret["objects"] == 3  # store1, s3store, offsite
    assert "pbs_remote offsite" in ret["sls"] and "pbs_datastore s3store" in ret["sls"]


def test_export_with_audit_only_token(pbs_loaders, pbs_simulator, varied):
    """What the caller may not read is reported in ``skipped``, the rest is exported."""
    pbs_simulator.add_acl("/", "alice@pbs", "Audit")
    secret = pbs_simulator.create_token("alice@pbs", "audit")
    pbs_simulator.add_acl("/", "alice@pbs!audit", "Audit")
    block = {
        "url": pbs_simulator.url,
        "fingerprint": pbs_simulator.fingerprint,
        "token_id": "alice@pbs!audit",
        "token_secret": secret,
    }
    pbs_simulator.clear_exchanges()
    ret = pbs_loaders.modules.pbs.export(profile=block)
    skipped = {s["kind"]: s["reason"] for s in ret["skipped"] if s["name"] is None}
    assert "traffic_control" in skipped  # PBS lists rules only with Sys.Modify
    assert "pbs_datastore store1" in ret["sls"]
    assert secret not in ret["sls"] + ret["pillar"] + repr(ret["skipped"])
    assert "profile" not in ret["sls"]  # a dict profile holds credentials: never written
    assert not writes(pbs_simulator.exchanges())


def test_export_rebuilds_an_empty_pbs(pbs_loaders, pbs_simulator, varied, state_tree, tmp_path):
    """The export applied to an empty PBS recreates the configuration: exporting the new
    PBS gives the same SLS (but for the server address)."""
    token_dir = tmp_path / "tokens"
    first = pbs_loaders.modules.pbs.export(secret_dir=str(token_dir))
    (state_tree / "pbs_rebuild.sls").write_text(first["sls"])
    pillar = fill_pillar(first["pillar"], FILLED)
    with Simulator(password="rebuild-password-1") as empty:
        configure_pbs(pbs_loaders, pbs_config_for(empty))
        result = pbs_loaders.modules.state.sls("pbs_rebuild", pillar=pillar).raw
        failed = {k: v["comment"] for k, v in result.items() if v["result"] is not True}
        assert not failed
        again = pbs_loaders.modules.pbs.export(secret_dir=str(token_dir))
        assert RawApi(empty).get("/config/remote/offsite")["host"] == "pbs2.example.com"
        # the pillar's secret went to the new PBS (kept where PBS keeps it, never returned)
        stored = empty.state.secret_store("remote.cfg:remote")["offsite"]
        assert stored["password"] == SECRETS["remote_password"]
    assert again["sls"].replace(empty.url, "URL") == first["sls"].replace(pbs_simulator.url, "URL")
    assert again["pillar"] == first["pillar"]
    # the new token's secret was written where the exported state said
    (written,) = token_dir.iterdir()
    assert written.name == "alice@pbs!automation.secret"
    assert written.read_text().startswith("alice@pbs!automation:")
