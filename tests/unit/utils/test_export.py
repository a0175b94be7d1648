"""Unit tests of :mod:`saltext.pbs.utils.export`: what the exported SLS and pillar say."""

import importlib
import json
import os
import pkgutil
import stat
import urllib.parse

import jinja2
import pytest
import salt.utils.yaml
import salt.utils.yamlencoding
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import catalog
from saltext.pbs.utils import export
from saltext.pbs.utils import kinds
from saltext.pbs.utils.client import PbsClient
from saltext.pbs.utils.errors import PbsNotFoundError
from saltext.pbs.utils.errors import PbsPermissionError
from saltext.pbs.utils.errors import PbsServerError


class Resp:
    def __init__(self, data):
        self.data = data
        self.digest = "0" * 64 if isinstance(data, list) else None


class FakePbs:
    """GET-only stand-in: ``paths`` maps API paths to data; others answer 404."""

    url = "https://pbs.example:8007"
    node = "localhost"
    path = staticmethod(PbsClient.path)

    def __init__(self, paths, refused=(), failing=None):
        self.paths = {
            "/access/users": [{"userid": "root@pam", "comment": "Superuser"}],
            "/config/notifications/endpoints/sendmail": [
                {"name": "mail-to-root", "mailto-user": ["root@pam"], "origin": "builtin"}
            ],
            "/nodes/localhost/dns": {"search": "example.lan", "digest": "1" * 64},
            "/nodes/localhost/time": {"timezone": "UTC", "time": 1, "localtime": 1},
            **paths,
        }
        self.refused = set(refused)
        self.failing = dict(failing or {})  # path -> HTTP status of a server error
        self.requests = []

    def get(self, path, params=None):
        path = urllib.parse.unquote(path)
        self.requests.append(("GET", path, params))
        if path in self.failing:
            raise PbsServerError(f"server error on {path}", status=self.failing[path])
        if path in self.refused:
            raise PbsPermissionError(f"permission check failed on {path}", status=403)
        if path in self.paths:
            return Resp(self.paths[path])
        if path == "/config/access/tfa/webauthn":
            return Resp(None)  # PBS answers null until WebAuthn is configured
        if path.startswith("/config/") or path.startswith("/access/"):
            if path.count("/") == 2 or path.endswith("/token") or "/endpoints/" in path:
                return Resp([])
            if path.startswith("/config/metrics/") or path.startswith("/config/access/"):
                return Resp([])
        raise PbsNotFoundError(f"not found: {path}", status=404)

    def request(self, method, path, params=None, data=None):
        assert method == "GET", "an export never writes"
        return self.get(path, params)


def run(paths, **kwargs):
    client = FakePbs(paths, kwargs.pop("refused", ()), kwargs.pop("failing", None))
    return export.export(client, **kwargs), client


def _yaml_encode(value):
    if isinstance(value, jinja2.Undefined):
        str(value)  # raises, as Salt's render does on an undefined value
    return salt.utils.yamlencoding.yaml_encode(value)


def states_of(sls, pillar=None):
    """Render the exported SLS as Salt would (Jinja, StrictUndefined, ``yaml_encode``)."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.filters["yaml_encode"] = _yaml_encode
    text = env.from_string(sls).render(pillar=pillar or {})
    return salt.utils.yaml.safe_load(text) or {}


def comments_of(sls):
    return " ".join(line[2:] for line in sls.splitlines() if line.startswith("# "))


def args_of(states, state_id):
    (function, items), = states[state_id].items()
    out = {}
    for item in items:
        out.update(item)
    return function, out


def fill(pillar_text, value="filled"):
    data = salt.utils.yaml.safe_load(pillar_text)

    def walk(node):
        for key, val in node.items():
            if isinstance(val, dict):
                walk(val)
            else:
                assert val == ""
                node[key] = f"{value}:{key}"

    walk(data)
    return data


STORE = {
    "name": "store1",
    "path": "/backup/store1",
    "gc-schedule": "daily",
    "verify-new": False,
    "notification-mode": "notification-system",
    "tuning": "sync-level=filesystem,gc-atime-cutoff=1445",
    "digest": "f" * 64,
}
S3_STORE = {
    "name": "s3store",
    "path": "/cache/s3",
    "backend": "type=s3,client=objstore,bucket=bkt",
    "tuning": "chunk-order=inode",
}
ORDERED = {
    "/config/datastore": [STORE, S3_STORE],
    "/config/s3": [
        {"id": "objstore", "endpoint": "{{bucket}}.s3.example.com", "access-key": "AK"}
    ],
    "/admin/datastore/store1/namespace": [{"ns": ""}, {"ns": "prod/vms"}, {"ns": "prod"}],
    "/admin/datastore/s3store/namespace": [{"ns": ""}],
    "/config/remote": [
        {"name": "far", "host": "pbs2.example.com", "auth-id": "sync@pbs!pull"}
    ],
    "/config/sync": [
        {
            "id": "pull1",
            "store": "store1",
            "remote": "far",
            "remote-store": "remote1",
            "owner": "root@pam",
            "remove-vanished": False,
            "sync-direction": "pull",
            "ns": "",
        }
    ],
    "/access/users": [
        {"userid": "root@pam", "comment": "Superuser"},
        {"userid": "alice@pbs", "enable": True, "expire": 0},
    ],
    "/access/users/alice@pbs/token": [{"tokenid": "alice@pbs!ci", "comment": "ci"}],
    "/access/users/root@pam/token": [],
    "/access/acl": [
        {"path": "/datastore/store1", "ugid": "alice@pbs!ci", "ugtype": "token",
         "roleid": "DatastoreBackup", "propagate": True},
        {"path": "/", "ugid": "admins", "ugtype": "group", "roleid": "Admin", "propagate": True},
    ],
    "/config/notifications/endpoints/gotify": [
        {"name": "gotify1", "server": "https://gotify.example.com", "origin": "user-created"}
    ],
    "/config/notifications/matchers": [
        {"name": "m1", "target": ["gotify1"], "mode": "all", "origin": "user-created"}
    ],
}


def test_order_follows_dependencies():
    ret, _ = run(ORDERED)
    ids = list(states_of(ret["sls"], fill(ret["pillar"])))
    pos = {state_id: index for index, state_id in enumerate(ids)}
    before = [
        ("pbs_s3_endpoint objstore", "pbs_datastore s3store"),
        ("pbs_datastore store1", "pbs_namespace store1/prod"),
        ("pbs_namespace store1/prod", "pbs_namespace store1/prod/vms"),
        ("pbs_datastore store1", "pbs_sync_job pull1"),
        ("pbs_remote far", "pbs_sync_job pull1"),
        ("pbs_user alice@pbs", "pbs_token alice@pbs!ci"),
        ("pbs_token alice@pbs!ci", "pbs_acl /datastore/store1 alice@pbs!ci DatastoreBackup"),
        ("pbs_notification_endpoint gotify1", "pbs_notification_matcher m1"),
    ]
    for first, second in before:
        assert pos[first] < pos[second], (first, second, ids)
    assert ret["objects"] == len(ids)


def test_defaults_digest_and_builtins_left_out():
    ret, _ = run(ORDERED)
    states = states_of(ret["sls"], fill(ret["pillar"]))
    _, store = args_of(states, "pbs_datastore store1")
    assert store == {"name": "store1", "path": "/backup/store1", "gc_schedule": "daily"}
    _, s3store = args_of(states, "pbs_datastore s3store")
    assert s3store["backend"] == {"type": "s3", "client": "objstore", "bucket": "bkt"}
    assert s3store["tuning"] == {"chunk_order": "inode"}
    _, job = args_of(states, "pbs_sync_job pull1")
    assert job == {"name": "pull1", "store": "store1", "remote": "far", "remote_store": "remote1"}
    _, user = args_of(states, "pbs_user alice@pbs")
    assert user == {"name": "alice@pbs"}
    assert "digest" not in ret["sls"]
    assert "root@pam" not in ret["sls"]
    assert "mail-to-root" not in ret["sls"]
    assert not any(key.startswith("pbs_namespace s3store") for key in states)
    assert {(s["kind"], s["name"]) for s in ret["skipped"]} >= {
        ("user", "root@pam"),
        ("notification_endpoint", "mail-to-root"),
        ("acl", "path=/, propagate=True, roleid=Admin, ugid=admins, ugtype=group"),
    }


def test_changed_builtins_are_exported():
    ret, _ = run(
        {
            "/access/users": [
                {"userid": "root@pam", "comment": "Superuser", "email": "ops@example.com"}
            ],
            "/config/notifications/endpoints/sendmail": [
                {"name": "mail-to-root", "mailto": ["ops@example.com"],
                 "origin": "modified-builtin"}
            ],
        },
        kinds=["user", "notification_endpoint"],
    )
    states = states_of(ret["sls"])
    _, root = args_of(states, "pbs_user root@pam")
    assert root == {"name": "root@pam", "email": "ops@example.com", "comment": "Superuser"}
    _, mail = args_of(states, "pbs_notification_endpoint mail-to-root")
    assert mail == {"name": "mail-to-root", "type": "sendmail", "mailto": ["ops@example.com"]}
    assert ret["skipped"] == []


def test_state_arguments_of_special_kinds():
    ret, _ = run(ORDERED, secret_dir="/srv/tokens")
    states = states_of(ret["sls"], fill(ret["pillar"]))
    function, ns = args_of(states, "pbs_namespace store1/prod/vms")
    assert (function, ns) == ("pbs_namespace.present", {"name": "prod/vms", "datastore": "store1"})
    function, token = args_of(states, "pbs_token alice@pbs!ci")
    assert token == {
        "name": "alice@pbs!ci",
        "secret_file": "/srv/tokens/alice@pbs!ci.secret",
        "comment": "ci",
    }
    assert "cannot be read back" in comments_of(ret["sls"])
    function, acl = args_of(states, "pbs_acl /datastore/store1 alice@pbs!ci DatastoreBackup")
    assert (function, acl) == (
        "pbs_acl.present",
        {"name": "/datastore/store1", "auth_id": "alice@pbs!ci", "role": "DatastoreBackup"},
    )
    function, dns = args_of(states, "pbs_dns")
    assert (function, dns) == ("pbs_dns.managed", {"search": "example.lan"})
    _, gotify = args_of(states, "pbs_notification_endpoint gotify1")
    assert gotify["type"] == "gotify"


SECRET_VALUES = ("s3-SECRET", "remote-PASSWORD", "gotify-TOKEN", "proxy-PASS", "hook-SECRET")
WITH_SECRETS = {
    # a PBS never returns these; the export must not write them even if one did
    "/config/s3": [
        {"id": "objstore", "endpoint": "s3.example.com", "access-key": "AK",
         "secret-key": "s3-SECRET"}
    ],
    "/config/remote": [
        {"name": "far", "host": "h.example.com", "auth-id": "a@pbs", "password": "remote-PASSWORD"}
    ],
    "/config/notifications/endpoints/gotify": [
        {"name": "g1", "server": "https://g.example.com", "token": "gotify-TOKEN"}
    ],
    "/config/notifications/endpoints/webhook": [
        {"name": "hook", "url": "https://h.example.com", "method": "post",
         "body": "eyJ0ZXh0IjogInt7IHRpdGxlIH19In0=",  # {"text": "{{ title }}"}
         "secret": ["name=token", "name=other,value=aG9vay1TRUNSRVQ="]}
    ],
    "/config/notifications/endpoints/smtp": [
        {"name": "mail", "server": "smtp.example.com", "from-address": "pbs@example.com",
         "mailto": ["ops@example.com"], "username": "pbs"}
    ],
    "/nodes/localhost/config": {"http-proxy": "http://user:proxy-PASS@proxy.example.com:3128"},
}


def test_secrets_never_written_and_read_from_pillar():
    ret, _ = run(WITH_SECRETS, profile="main")
    for value in SECRET_VALUES:
        assert value not in ret["sls"]
        assert value not in ret["pillar"]
    pillar = salt.utils.yaml.safe_load(ret["pillar"])
    assert pillar == {
        "pbs_secrets": {
            "s3_endpoint": {"objstore": {"secret_key": ""}},
            "remote": {"far": {"password": ""}},
            "notification_endpoint": {
                "g1": {"token": ""},
                "hook": {"secret": {"other": "", "token": ""}},
            },
            "node_config": {"http_proxy": ""},
        }
    }
    states = states_of(ret["sls"], fill(ret["pillar"]))
    _, remote = args_of(states, "pbs_remote far")
    assert remote["password"] == "filled:password"
    assert remote["update_secret"] == "on_create"
    assert remote["profile"] == "main"
    _, hook = args_of(states, "pbs_notification_endpoint hook")
    assert hook["secret"] == {"other": "filled:other", "token": "filled:token"}
    assert hook["body"] == '{"text": "{{ title }}"}'  # kept from Jinja by {% raw %}
    _, node = args_of(states, "pbs_node_config")
    assert node["http_proxy"] == "filled:http_proxy"
    _, smtp = args_of(states, "pbs_notification_endpoint mail")
    assert "password" not in smtp and "update_secret" not in smtp
    assert "pbs_secrets:notification_endpoint:mail:password" in comments_of(ret["sls"])


def test_missing_pillar_key_fails_the_render():
    ret, _ = run(WITH_SECRETS, kinds="remote")
    with pytest.raises(jinja2.UndefinedError):
        states_of(ret["sls"], {"pbs_secrets": {"remote": {"far": {}}}})


def test_custom_pillar_key_and_dict_profile():
    ret, _ = run(WITH_SECRETS, kinds="pbs_remote", pillar_key="site_a", profile={"url": "x"})
    assert list(salt.utils.yaml.safe_load(ret["pillar"])) == ["site_a"]
    states = states_of(ret["sls"], {"site_a": {"remote": {"far": {"password": "pw"}}}})
    _, remote = args_of(states, "pbs_remote far")
    assert remote["password"] == "pw"
    assert "profile" not in remote


def test_text_with_jinja_markers_survives_rendering():
    tricky = "{{bucket}}.s3.{% endraw %}{#x#}.example.com"
    ret, _ = run(
        {"/config/s3": [{"id": "obj1", "endpoint": tricky, "access-key": "AK"}]},
        kinds=["s3_endpoint"],
    )
    states = states_of(ret["sls"], fill(ret["pillar"]))
    _, endpoint = args_of(states, "pbs_s3_endpoint obj1")
    assert endpoint["endpoint"] == tricky


def test_kind_selection_and_unreadable_kinds():
    ret, client = run(
        ORDERED, kinds="datastore, traffic_control", refused={"/config/traffic-control"}
    )
    requested = {path for _, path, _ in client.requests}
    assert requested == {"/config/datastore", "/config/traffic-control"}
    assert ret["objects"] == 2
    assert ret["skipped"] == [
        {
            "kind": "traffic_control",
            "name": None,
            "reason": "not readable: permission check failed on /config/traffic-control",
        }
    ]
    with pytest.raises(SaltInvocationError, match="unknown kind"):
        export.resolve_kinds(["datastore", "nonsense"])
    with pytest.raises(SaltInvocationError, match="pillar_key"):
        export.export(FakePbs({}), pillar_key="a:b")
    with pytest.raises(SaltInvocationError, match="secret_dir"):
        export.export(FakePbs({}), secret_dir="relative/dir")


def test_write_files_keeps_the_pillar_private(tmp_path):
    pillar_file = tmp_path / "pbs_secrets.sls"
    pillar_file.write_text("old")
    pillar_file.chmod(0o644)
    written = export.write_files(str(tmp_path), {"sls": "a: b\n", "pillar": "p: ''\n"})
    assert written == [str(tmp_path / "pbs.sls"), str(pillar_file)]
    assert stat.S_IMODE(os.stat(pillar_file).st_mode) == 0o600
    assert pillar_file.read_text() == "p: ''\n"
    assert (tmp_path / "pbs.sls").read_text() == "a: b\n"
    with pytest.raises(SaltInvocationError, match="write_to"):
        export.write_files(str(tmp_path / "missing"), {"sls": "", "pillar": ""})


def _catalog_kinds():
    """Every top-level Kind the catalog modules define (variants of typed kinds excluded)."""
    import saltext.pbs.utils.kinds as package  # pylint: disable=import-outside-toplevel

    modules = [catalog] + [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
    ]
    found = {}
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, catalog.Kind):
                found[id(value)] = value
    variants = {id(v) for kind in found.values() for v in (kind.types or {}).values()}
    return [kind for key, kind in found.items() if key not in variants]


def test_every_catalog_kind_is_in_the_registry_that_export_reads():
    registered = {kind.name for kind in kinds.REGISTRY}
    missing = {kind.name for kind in _catalog_kinds()} - registered
    assert not missing, f"add these kinds to kinds.REGISTRY: {sorted(missing)}"
    assert export.EXPORT_ORDER is kinds.REGISTRY


def test_acme_accounts_read_per_item_and_plugin_credentials_from_pillar():
    ret, client = run(
        {
            "/config/acme/account": [{"name": "le"}],
            "/config/acme/account/le": {
                "account": {"contact": ["mailto:ops@example.com"], "status": "valid"},
                "directory": "https://acme-v02.api.letsencrypt.org/directory",
                "tos": "https://letsencrypt.org/tos.pdf",
                "location": "https://acme.example/acct/1",
            },
            "/config/acme/plugins": [
                {"plugin": "standalone", "type": "standalone"},
                {"plugin": "cf1", "type": "dns", "api": "cf",
                 "data": "CF_Token=acme-SECRET\nCF_Account_ID=abc\n"},
            ],
        },
        kinds=["acme_account", "acme_plugin"],
    )
    assert ("GET", "/config/acme/account/le", None) in client.requests
    assert "acme-SECRET" not in ret["sls"] + ret["pillar"]
    assert salt.utils.yaml.safe_load(ret["pillar"]) == {
        "pbs_secrets": {"acme_plugin": {"cf1": {"data": {"CF_Token": "", "CF_Account_ID": ""}}}}
    }
    states = states_of(ret["sls"], fill(ret["pillar"]))
    _, account = args_of(states, "pbs_acme_account le")
    assert account == {
        "name": "le",
        "contact": ["ops@example.com"],
        "tos_url": "https://letsencrypt.org/tos.pdf",
    }
    _, plugin = args_of(states, "pbs_acme_plugin cf1")
    assert plugin["data"] == {
        "CF_Token": "filled:CF_Token",
        "CF_Account_ID": "filled:CF_Account_ID",
    }
    assert "update_secret" not in plugin  # 'data' is compared, not a write-only secret
    assert [s["name"] for s in ret["skipped"]] == ["standalone"]
    # the built-in plugin is skipped for what it is, not with the refusal a state would get
    assert ret["skipped"][0]["reason"].startswith("built into PBS")


def test_server_errors_fail_the_export_unless_not_implemented():
    ret, _ = run(ORDERED, kinds="datastore,remote", failing={"/config/remote": 501})
    assert [(s["kind"], s["name"]) for s in ret["skipped"]] == [("remote", None)]
    assert ret["objects"] == 2
    with pytest.raises(PbsServerError):
        run(ORDERED, kinds="datastore,remote", failing={"/config/remote": 500})
