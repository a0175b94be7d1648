"""Resolution and validation of the ``pbs`` connection block (no loader, no network)."""

import pytest

from saltext.pbs.utils import config
from saltext.pbs.utils.config import PbsConfigError

FP = ":".join(["ab"] * 32)
SECRET = "3f1c2d4e-aaaa-bbbb-cccc-1234567890ab"
PASSWORD = "pa+ss word&1"


def lookup(block):
    """A config.get stand-in that records the arguments it was called with."""
    calls = []

    def config_get(key, default=None, merge=None):
        calls.append((key, default, merge))
        return block

    config_get.calls = calls
    return config_get


def lookup_without_merge(block):
    def config_get(key, default=None):
        return block

    return config_get


def base(**extra):
    return {
        "url": "https://pbs.example.net:8007",
        "token_id": "salt@pbs!automation",
        "token_secret": SECRET,
        **extra,
    }


def resolve(block, profile=None, opts=None, **kwargs):
    return config.resolve(lookup(block), opts or {}, profile=profile, **kwargs)


def assert_no_secret(excinfo, *secrets):
    for secret in secrets:
        assert secret not in str(excinfo.value)


def test_reads_pbs_with_recursive_merge_and_applies_defaults():
    config_get = lookup(base())
    conf = config.resolve(config_get, {})
    assert config_get.calls == [("pbs", {}, "recurse")]
    assert conf == {
        "url": "https://pbs.example.net:8007",
        "token_id": "salt@pbs!automation",
        "token_secret": SECRET,
        "username": None,
        "password": None,
        "verify": True,
        "fingerprint": None,
        "timeout": 30.0,
        "node": "localhost",
        "progress_after": 30.0,
    }


def test_lookup_without_merge_argument_is_accepted():
    conf = config.resolve(lookup_without_merge(base(timeout=5)), {})
    assert conf["timeout"] == 5.0


def test_missing_block_says_what_to_configure():
    with pytest.raises(PbsConfigError, match="'url' is not configured"):
        resolve(None)
    with pytest.raises(PbsConfigError, match="must be a mapping"):
        resolve("https://pbs:8007")


def test_named_profile_is_laid_over_top_level_keys():
    block = base(
        timeout=10,
        profiles={"offsite": {"url": "https://pbs2.example.net:8007", "node": "pbs2"}},
    )
    conf = resolve(block, profile="offsite")
    assert conf["url"] == "https://pbs2.example.net:8007"
    assert conf["node"] == "pbs2"
    assert conf["timeout"] == 10.0  # inherited
    assert conf["token_id"] == "salt@pbs!automation"  # inherited
    # Without a profile the top-level keys apply.
    assert resolve(block)["url"] == "https://pbs.example.net:8007"


def test_inline_profile_dict():
    conf = resolve(base(), profile={"url": "https://10.0.0.5:8007", "fingerprint": FP.upper()})
    assert conf["url"] == "https://10.0.0.5:8007"
    assert conf["fingerprint"] == FP  # lower-cased


def test_profile_switching_auth_method_drops_the_other_credentials():
    block = base(profiles={"admin": {"username": "root@pam", "password": PASSWORD}})
    conf = resolve(block, profile="admin")
    assert conf["username"] == "root@pam" and conf["password"] == PASSWORD
    assert conf["token_id"] is None and conf["token_secret"] is None


def test_unknown_profile_lists_known_ones():
    with pytest.raises(PbsConfigError, match=r"unknown PBS profile 'nope' \(known: a, b\)"):
        resolve(base(profiles={"a": {}, "b": {}}), profile="nope")


@pytest.mark.parametrize(
    "block,profile,where",
    [
        (base(passwd="x"), None, "the 'pbs' configuration"),
        (base(profiles={"p": {"tokenid": "x"}}), "p", "PBS profile 'p'"),
        (base(), {"verify_ssl": False}, "the inline profile"),
    ],
)
def test_unknown_key_is_named(block, profile, where):
    with pytest.raises(PbsConfigError) as excinfo:
        resolve(block, profile=profile)
    message = str(excinfo.value)
    assert "unknown PBS connection key" in message
    assert where in message
    assert ("'passwd'" in message) or ("'tokenid'" in message) or ("'verify_ssl'" in message)


def test_sdb_leaves_are_resolved(minion_opts, monkeypatch):
    monkeypatch.setenv("PBS_TEST_TOKEN_SECRET", SECRET)
    minion_opts["pbsenv"] = {"driver": "env"}
    block = base(token_secret="sdb://pbsenv/PBS_TEST_TOKEN_SECRET")
    conf = resolve(block, opts=minion_opts)
    assert conf["token_secret"] == SECRET


def test_unresolvable_sdb_value_names_the_key(minion_opts):
    block = base(token_secret="sdb://missing-profile/secret")
    with pytest.raises(PbsConfigError, match="sdb:// value of PBS key 'token_secret'"):
        resolve(block, opts=minion_opts)


@pytest.mark.parametrize(
    "url,expected",
    [
        ("https://pbs:8007", "https://pbs:8007"),
        ("https://pbs:8007/", "https://pbs:8007"),
        ("https://PBS.example.net", "https://pbs.example.net"),
        ("https://[fd00::1]:8007", "https://[fd00::1]:8007"),
    ],
)
def test_valid_urls_are_normalised(url, expected):
    assert resolve(base(url=url))["url"] == expected


@pytest.mark.parametrize(
    "url,reason",
    [
        ("http://pbs:8007", "must start with https://"),
        ("https://pbs:8007/api2/json", "must not include '/api2/json'"),
        ("https://pbs:8007/api2/json/", "must not include '/api2/json'"),
        ("https://pbs:8007/pbs", "without a path"),
        ("https://pbs:99999", "not a valid URL"),
        ("pbs.example.net:8007", "https://"),
        ("", "not configured"),
    ],
)
def test_invalid_urls(url, reason):
    with pytest.raises(PbsConfigError, match=reason):
        resolve(base(url=url))


def test_url_with_credentials_is_refused_without_echoing_it():
    with pytest.raises(PbsConfigError, match="must not contain credentials") as excinfo:
        resolve(base(url=f"https://root:{PASSWORD}@pbs:8007"))
    assert_no_secret(excinfo, PASSWORD)


@pytest.mark.parametrize(
    "fingerprint",
    [
        "ab:cd",
        ":".join(["ab"] * 31),
        ":".join(["zz"] * 32),
        "ab" * 32,  # no colons
        "SHA256:" + FP,
    ],
)
def test_invalid_fingerprint(fingerprint):
    with pytest.raises(PbsConfigError, match="'fingerprint' must be the certificate's SHA-256"):
        resolve(base(fingerprint=fingerprint))


@pytest.mark.parametrize(
    "token_id",
    ["salt@pbs", "salt!automation", "@pbs!x", "salt@pbs!", "salt@pbs!bad name", "a b@pbs!t"],
)
def test_invalid_token_id(token_id):
    with pytest.raises(PbsConfigError, match=r"USER@REALM!TOKENNAME"):
        resolve(base(token_id=token_id))


def test_pve_style_token_in_token_id_is_rejected_without_the_secret():
    with pytest.raises(PbsConfigError, match="Proxmox VE style") as excinfo:
        resolve(base(token_id=f"salt@pbs!automation={SECRET}"))
    assert "salt@pbs!automation" in str(excinfo.value)
    assert_no_secret(excinfo, SECRET)


@pytest.mark.parametrize(
    "token_id",
    [f"PVEAPIToken=salt@pbs!automation={SECRET}", f"PBSAPIToken=salt@pbs!automation:{SECRET}"],
)
def test_authorization_header_in_token_id_is_rejected(token_id):
    with pytest.raises(PbsConfigError, match="Authorization header") as excinfo:
        resolve(base(token_id=token_id))
    assert_no_secret(excinfo, SECRET)


def test_pbs_style_id_colon_secret_in_token_id_is_rejected():
    with pytest.raises(PbsConfigError, match="contains a secret part") as excinfo:
        resolve(base(token_id=f"salt@pbs!automation:{SECRET}"))
    assert_no_secret(excinfo, SECRET)


def test_whole_token_string_in_token_secret_is_rejected():
    with pytest.raises(PbsConfigError, match="token_secret' looks like a whole token") as exc:
        resolve(base(token_secret=f"PVEAPIToken=salt@pbs!automation={SECRET}"))
    assert_no_secret(exc, SECRET)


def test_credentials_must_come_in_pairs():
    with pytest.raises(PbsConfigError, match="'token_secret' is missing"):
        resolve({"url": "https://pbs:8007", "token_id": "salt@pbs!automation"})
    with pytest.raises(PbsConfigError, match="'token_id' is missing"):
        resolve({"url": "https://pbs:8007", "token_secret": SECRET})
    with pytest.raises(PbsConfigError, match="'password' is missing"):
        resolve({"url": "https://pbs:8007", "username": "root@pam"})
    with pytest.raises(PbsConfigError, match="'username' is missing") as excinfo:
        resolve({"url": "https://pbs:8007", "password": PASSWORD})
    assert_no_secret(excinfo, PASSWORD)


def test_no_credentials():
    with pytest.raises(PbsConfigError, match="no PBS credentials configured"):
        resolve({"url": "https://pbs:8007"})
    conf = resolve({"url": "https://pbs:8007"}, require_auth=False)
    assert conf["token_id"] is None and conf["username"] is None


def test_both_auth_methods_at_top_level_are_ambiguous():
    with pytest.raises(PbsConfigError, match="ambiguous") as excinfo:
        resolve(base(username="root@pam", password=PASSWORD))
    assert_no_secret(excinfo, PASSWORD, SECRET)


def test_token_id_as_username_is_redirected():
    with pytest.raises(PbsConfigError, match="is an API token id"):
        resolve({"url": "https://pbs:8007", "username": "a@pbs!t", "password": PASSWORD})


@pytest.mark.parametrize("username", ["root", "root@", "ro ot@pam", "a/b@pam"])
def test_invalid_username(username):
    with pytest.raises(PbsConfigError, match="USER@REALM"):
        resolve({"url": "https://pbs:8007", "username": username, "password": PASSWORD})


def test_password_with_wrong_type_is_not_echoed():
    with pytest.raises(PbsConfigError, match="'password' must be a non-empty string"):
        resolve({"url": "https://pbs:8007", "username": "root@pam", "password": 12345678})


@pytest.mark.parametrize("value,expected", [(True, True), (False, False), ("false", False)])
def test_verify_booleans(value, expected):
    assert resolve(base(verify=value))["verify"] is expected


def test_verify_ca_path(tmp_path):
    ca_file = tmp_path / "ca.pem"
    ca_file.write_text("-----BEGIN CERTIFICATE-----\n")
    assert resolve(base(verify=str(ca_file)))["verify"] == str(ca_file)
    with pytest.raises(PbsConfigError, match="is not a file"):
        resolve(base(verify=str(tmp_path / "missing.pem")))


@pytest.mark.parametrize("timeout", [0, -1, "soon", True, float("nan")])
def test_invalid_timeout(timeout):
    with pytest.raises(PbsConfigError, match="'timeout' must be a positive number"):
        resolve(base(timeout=timeout))


@pytest.mark.parametrize("value", [0, -1, "soon", True])
def test_invalid_progress_after(value):
    with pytest.raises(PbsConfigError, match="'progress_after' must be a positive number"):
        resolve(base(progress_after=value))


def test_progress_after_defaults_to_half_a_minute():
    assert resolve(base())["progress_after"] == 30
    assert resolve(base(progress_after="5"))["progress_after"] == 5


def test_timeout_as_text_number():
    assert resolve(base(timeout="12.5"))["timeout"] == 12.5


@pytest.mark.parametrize("node", ["", "-bad", "a b", "a_b"])
def test_invalid_node(node):
    with pytest.raises(PbsConfigError, match="'node' must be a host name"):
        resolve(base(node=node))


def test_profile_null_value_falls_back_to_default():
    block = base(fingerprint=FP, profiles={"ca": {"fingerprint": None}})
    assert resolve(block, profile="ca")["fingerprint"] is None


def test_masked_mapping_types_become_plain_dicts():
    class Masked(dict):
        pass

    conf = resolve(Masked(base(profiles=Masked(p=Masked(node="pbs2")))), profile="p")
    assert type(conf) is dict  # pylint: disable=unidiomatic-typecheck
    assert conf["node"] == "pbs2"


# --- where a setting was read from; the pbs proxy; the masked view -----------------------


def proxy_opts(proxy, pbs=None, pillar_pbs=None, in_pillar=True):
    """Options of a pbs proxy: its ``proxy`` block (from pillar or its config file)."""
    opts = {"proxy": {"proxytype": "pbs", **proxy}, "pillar": {}}
    if in_pillar:
        opts["pillar"]["proxy"] = opts["proxy"]
    if pbs is not None:
        opts["pbs"] = pbs
    if pillar_pbs is not None:
        opts["pillar"]["pbs"] = pillar_pbs
    return opts


def test_error_names_the_key_and_that_it_came_from_pillar():
    opts = {"pillar": {"pbs": base(timeout="soon")}}
    with pytest.raises(PbsConfigError) as excinfo:
        config.resolve(lookup(base(timeout="soon")), opts)
    assert str(excinfo.value) == (
        "PBS 'timeout' must be a positive number of seconds (read from pillar pbs:timeout)"
    )
    assert excinfo.value.key == "timeout"


def test_minion_config_wins_over_pillar_as_origin():
    opts = {"pbs": {"node": "-bad"}, "pillar": {"pbs": base(node="ok")}}
    with pytest.raises(PbsConfigError, match=r"\(read from minion config pbs:node\)$"):
        config.resolve(lookup(base(node="-bad")), opts)


def test_missing_key_says_where_it_was_looked_for():
    with pytest.raises(PbsConfigError) as excinfo:
        resolve({"token_id": "salt@pbs!automation", "token_secret": SECRET})
    assert "(looked in minion config and pillar pbs:url)" in str(excinfo.value)


def test_config_errors_are_command_errors_not_usage_errors():
    from salt.exceptions import CommandExecutionError  # pylint: disable=import-outside-toplevel
    from salt.exceptions import SaltInvocationError  # pylint: disable=import-outside-toplevel

    with pytest.raises(CommandExecutionError) as excinfo:
        resolve(base(), profile="nope")
    # SaltInvocationError is a TypeError: salt-call would print the usage text for it.
    assert not isinstance(excinfo.value, (SaltInvocationError, TypeError))


def test_proxy_keys_are_laid_over_the_pbs_block():
    opts = proxy_opts(
        {"url": "https://pbs1.example.net:8007", "username": "root@pam", "password": PASSWORD},
        pillar_pbs=base(timeout=7, node="pbs1"),
    )
    conf = config.resolve(lookup(base(timeout=7, node="pbs1")), opts)
    assert conf["url"] == "https://pbs1.example.net:8007"  # the proxy wins
    assert conf["username"] == "root@pam" and conf["password"] == PASSWORD
    assert conf["token_id"] is None and conf["token_secret"] is None  # method switched
    assert conf["timeout"] == 7.0 and conf["node"] == "pbs1"  # from the pbs block


def test_proxy_block_alone_is_enough():
    opts = proxy_opts({"url": "https://pbs1:8007", "token_id": "a@pbs!t", "token_secret": SECRET})
    conf = config.resolve(lookup(None), opts)
    assert conf["url"] == "https://pbs1:8007" and conf["token_secret"] == SECRET


def test_profile_is_laid_over_the_proxy_keys():
    block = {"profiles": {"other": {"url": "https://pbs2:8007"}}}
    opts = proxy_opts({"url": "https://pbs1:8007", "token_id": "a@pbs!t", "token_secret": SECRET})
    assert config.resolve(lookup(block), opts, profile="other")["url"] == "https://pbs2:8007"


def test_other_proxy_types_ignore_the_proxy_block():
    opts = {"proxy": {"proxytype": "ssh_sample", "url": "https://elsewhere:8007"}}
    assert config.resolve(lookup(base()), opts)["url"] == "https://pbs.example.net:8007"


@pytest.mark.parametrize(
    "proxy,message",
    [
        ({"url": "https://pbs1:8007", "passwd": "x"}, "unknown PBS connection key 'passwd'"),
        (
            {"url": "https://pbs1:8007", "username": "root@pam", "password": PASSWORD,
             "token_id": "a@pbs!t", "token_secret": SECRET},
            "ambiguous",
        ),
        ({"url": "https://pbs1:8007", "username": "root@pam"}, "'password' is missing"),
        ({"token_id": "a@pbs!t", "token_secret": SECRET}, "looked in proxy pillar proxy:url"),
    ],
)
def test_bad_proxy_block_is_named_without_secrets(proxy, message):
    with pytest.raises(PbsConfigError, match=message) as excinfo:
        config.resolve(lookup(None), proxy_opts(proxy))
    assert_no_secret(excinfo, PASSWORD, SECRET)


def test_proxy_origin_names_proxy_pillar_or_proxy_config():
    bad = {"url": "https://pbs1:8007", "timeout": -1, "token_id": "a@pbs!t", "token_secret": SECRET}
    with pytest.raises(PbsConfigError, match=r"\(read from proxy pillar proxy:timeout\)"):
        config.resolve(lookup(None), proxy_opts(bad))
    with pytest.raises(PbsConfigError, match=r"\(read from proxy configuration proxy:timeout\)"):
        config.resolve(lookup(None), proxy_opts(bad, in_pillar=False))


def test_salt_own_proxy_keys_are_accepted():
    proxy = {"url": "https://pbs1:8007", "token_id": "a@pbs!t", "token_secret": SECRET,
             "always_alive": True}
    assert config.resolve(lookup(None), proxy_opts(proxy))["url"] == "https://pbs1:8007"


def test_describe_masks_secrets_and_names_sources():
    opts = proxy_opts(
        {"url": "https://pbs1:8007", "token_id": "a@pbs!t", "token_secret": SECRET},
        pillar_pbs={"timeout": 9, "profiles": {"x": {}}},
    )
    view = config.describe(lookup({"timeout": 9, "profiles": {"x": {}}}), opts)
    assert view["connection"]["token_secret"] == config.HIDDEN
    assert view["connection"]["token_id"] == "a@pbs!t"
    assert view["sources"] == {
        "url": "proxy pillar proxy:url",
        "token_id": "proxy pillar proxy:token_id",
        "token_secret": "proxy pillar proxy:token_secret",
        "timeout": "pillar pbs:timeout",
    }
    assert view["proxy"] is True and view["profiles"] == ["x"] and view["profile"] is None
    assert SECRET not in repr(view)


def test_masked_hides_only_set_secrets():
    shown = config.masked({"password": None, "token_secret": "x", "url": "u"})
    assert shown == {"password": None, "token_secret": "<hidden>", "url": "u"}


def test_opts_lookup_merges_pillar_under_opts():
    opts = {"pbs": {"url": "https://a:8007"}, "pillar": {"pbs": {"url": "https://b:8007", "node": "n"}}}
    assert config.opts_lookup(opts)("pbs") == {"url": "https://a:8007"}
    assert config.opts_lookup(opts, with_pillar=True)("pbs") == {"url": "https://a:8007", "node": "n"}
    assert config.opts_lookup({"pillar": {"pbs": {"node": "n"}}}, with_pillar=True)("pbs") == {"node": "n"}


def test_proxy_pillar_keys_win_over_the_proxy_config_file():
    # Typical: the proxy config file names only the type, the pillar has the rest; after a
    # pillar refresh the new pillar counts although Salt copied the old block into opts.
    opts = {
        "proxy": {"proxytype": "pbs", "url": "https://old:8007"},
        "pillar": {"proxy": {"proxytype": "pbs", "url": "https://new:8007", "token_id": "a@pbs!t",
                             "token_secret": SECRET}},
    }
    assert config.resolve(lookup(None), opts)["url"] == "https://new:8007"


# ----- resolved once per run ---------------------------------------------------------------
def test_resolve_cached_calls_config_get_once_per_run_and_profile():
    block = base(profiles={"admin": {"username": "root@pam", "password": PASSWORD}})
    config_get = lookup(block)
    opts = {"pbs": block}
    context = {}
    first = config.resolve_cached(config_get, opts, context)
    assert config.resolve_cached(config_get, opts, context) == first
    assert len(config_get.calls) == 1
    admin = config.resolve_cached(config_get, opts, context, profile="admin")
    assert admin["username"] == "root@pam" and admin["token_id"] is None
    inline = {"url": "https://10.0.0.5:8007"}
    assert config.resolve_cached(config_get, opts, context, profile=inline)["url"] == inline["url"]
    config.resolve_cached(config_get, opts, context, profile=dict(inline))
    assert len(config_get.calls) == 3
    # the cache keys are fingerprints: no secret in them
    for key in context[config.CONTEXT_KEY]:
        assert SECRET not in key and PASSWORD not in key


def test_resolve_cached_result_is_a_copy():
    config_get = lookup(base())
    context = {}
    config.resolve_cached(config_get, {}, context)["url"] = "https://changed:8007"
    assert config.resolve_cached(config_get, {}, context)["url"] == "https://pbs.example.net:8007"


def test_changed_pillar_is_seen_by_a_new_run():
    pillar = {"pbs": base(timeout=5)}
    opts = {"pbs": {"url": "https://pbs.example.net:8007"}, "pillar": pillar}
    config_get = config.opts_lookup(opts, with_pillar=True)
    assert config.resolve_cached(config_get, opts, {})["timeout"] == 5
    pillar["pbs"] = base(timeout=9)
    # a new run: fresh __context__
    assert config.resolve_cached(config_get, opts, {})["timeout"] == 9


def test_changed_pillar_block_is_seen_within_a_long_lived_context():
    opts = {"pillar": {"pbs": base(timeout=5)}}
    config_get = config.opts_lookup(opts, with_pillar=True)
    context = {}
    assert config.resolve_cached(config_get, opts, context)["timeout"] == 5
    opts["pillar"] = {"pbs": base(timeout=9)}  # a pillar refresh replaces the pillar
    assert config.resolve_cached(config_get, opts, context)["timeout"] == 9


def test_resolve_cached_keeps_sdb_resolution(monkeypatch):
    calls = []

    def sdb_get(value, opts):
        calls.append(value)
        return SECRET if value == "sdb://vault/pbs" else value

    monkeypatch.setattr(config._sdb, "sdb_get", sdb_get)  # pylint: disable=protected-access
    block = base(token_secret="sdb://vault/pbs")
    context = {}
    for _ in range(3):
        assert config.resolve_cached(lookup(block), {"pbs": block}, context)["token_secret"] == SECRET
    assert calls == ["sdb://vault/pbs"]


def test_resolve_cached_without_context_resolves_every_time():
    config_get = lookup(base())
    config.resolve_cached(config_get, {}, None)
    config.resolve_cached(config_get, {}, None)
    assert len(config_get.calls) == 2
