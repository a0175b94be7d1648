"""Notifications: endpoints (smtp, sendmail, gotify, webhook), matchers, targets and the
matcher field helpers under ``/config/notifications``.

PBS src/api2/config/notifications/*.rs on top of proxmox-notify (api/*.rs, endpoints/*.rs,
matcher.rs, lib.rs, context/pbs.rs). What differs from the other collections:

* all endpoints and matchers live in ``notifications.cfg``: one name space (``Cannot create
  '<n>', an entity with the same name already exists``) and one digest, which only item
  reads report; secrets (smtp ``password``, gotify ``token``, webhook ``secret`` values)
  live in ``notifications-priv.cfg`` and are not part of the digest;
* unknown names (or names of another kind) are 404 ``endpoint|matcher '<n>' not found``;
  DELETE takes no ``digest``; comments are stored verbatim;
* ``origin`` is computed: ``builtin`` while an entry equals PBS's built-in one
  (``mail-to-root``, ``default-matcher``), ``modified-builtin`` after a change,
  ``user-created`` otherwise; deleting a built-in resets it;
* webhook ``header``/``secret`` items are property strings ``name=<n>,value=<base64>``;
  reads show secrets by name only, and an update keeps a secret sent without value.
"""

import base64
import binascii
import copy
import re

from saltext.pbs.simulator import calendar
from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema as s
from saltext.pbs.simulator import values
from saltext.pbs.simulator.collections import Collection
from saltext.pbs.simulator.endpoints.datastore import list_admin_datastores
from saltext.pbs.simulator.endpoints.jobs import PRUNE_JOBS
from saltext.pbs.simulator.endpoints.jobs import SYNC_JOBS
from saltext.pbs.simulator.endpoints.jobs import VERIFY_JOBS
from saltext.pbs.simulator.endpoints.s3 import HTTP_URL_RE
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.router import endpoint

FILE = "notifications.cfg"
BASE = "/config/notifications"
AUDIT = perms.Privilege("/system/notifications", "Sys.Audit")
MODIFY = perms.Privilege("/system/notifications", "Sys.Modify")
ENDPOINT_TYPES = ("gotify", "sendmail", "smtp", "webhook")  # PBS lists targets in this order
ENTITY_NAME = s.safe_id(2, 32)
EMAIL = s.string(pattern=values.SINGLE_LINE_COMMENT_RE, min_length=2, max_length=64)
KEY_AND_BASE64 = s.prop_string({"name": s.string().req(), "value": s.string()})
NO_RECIPIENT = "must at least provide one recipient, either in mailto or in mailto-user"

_BUILTINS = {}


def builtins():
    """PBS's built-in entries: what a fresh simulated PBS has in notifications.cfg."""
    if not _BUILTINS:
        from saltext.pbs.simulator.state import SimState  # pylint: disable=import-outside-toplevel

        fresh = SimState(root_password="-").file(FILE)
        for name, entry in fresh.items():
            _BUILTINS[name] = _comparable(entry)
    return _BUILTINS


def _comparable(entry):
    return {k: copy.deepcopy(v) for k, v in entry.items() if k != "name"}


def origin(name, entry):
    builtin = builtins().get(name)
    if builtin is None:
        return "user-created"
    return "builtin" if _comparable(entry) == builtin else "modified-builtin"


def _referrers(ctx, name):
    cfg = ctx.state.file(FILE)
    return sorted(m for m, e in cfg.items("matcher") if name in e.get("target", []))


def _decode_base64(text):
    try:
        base64.b64decode(text, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return False
    return True


def _key_value(item):
    return values.parse_property_string(item)


def _ps_value(text):
    """proxmox-schema's property-string printer quotes only for '"', '\\' and newlines
    (ser/mod.rs), so base64 padding ('=') stays bare."""
    if any(c in text for c in '"\\\n'):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return text


def _print_key_value(name, value=None):
    """PropertyString<KeyAndBase64Val> re-printed in field order: name, then value."""
    out = f"name={_ps_value(name)}"
    if value is not None:
        out += f",value={_ps_value(value)}"
    return out


class Notifications(Collection):
    """One kind of entity in notifications.cfg (see the module docstring)."""

    def lookup(self, ctx, entry_id):
        entry = self.cfg(ctx).get(entry_id, self.section_type)
        if entry is None:
            raise ApiError(404, f"{self.extra} '{entry_id}' not found")
        return entry

    def output(self, ctx, entry_id, entry):
        data = super().output(ctx, entry_id, entry)
        data["origin"] = origin(entry_id, entry)
        return data

    def do_delete(self, ctx, params):
        name = params["name"]
        entry = self.lookup(ctx, name)
        builtin = builtins().get(name)
        if builtin is None and self.extra == "endpoint":
            used_by = _referrers(ctx, name)
            if used_by:
                raise ApiError(400, f"cannot delete '{name}', referenced by: {', '.join(used_by)}")
        self.remove(ctx, name)
        if builtin is not None:
            # PBS merges the built-ins back in when it reads the file: a reset
            self.cfg(ctx).set(name, entry["type"], builtin)


def _check_recipients(ctx, name, data, *rest):
    if not data.get("mailto") and not data.get("mailto-user"):
        raise ApiError(400, NO_RECIPIENT)
    for key in ("mailto", "mailto-user"):
        if key in data and not data[key]:
            del data[key]  # empty lists are not serialised


def _collection(kind, props, deletable, secrets=(), on_create=None, on_update=None,
                extra="endpoint", base=None, cls=None):
    return (cls or Notifications)(
        file=FILE,
        section_type=kind,
        base=base or f"{BASE}/endpoints/{kind}",
        id_param="name",
        id_schema=ENTITY_NAME,
        props=props,
        deletable=deletable,
        secrets=secrets,
        exists="Cannot create '{id}', an entity with the same name already exists",
        exists_is_param=False,
        delete_digest=False,
        list_digest=False,
        trim_comment=False,
        perm_list=AUDIT,
        perm_read=AUDIT,
        perm_create=MODIFY,
        perm_modify=MODIFY,
        on_create=on_create,
        on_update=on_update,
        extra=extra,
    ).register()


COMMON = {"comment": s.COMMENT, "disable": s.boolean()}
MAIL = {"mailto": s.array(EMAIL), "mailto-user": s.array(EMAIL), "author": s.string()}

SENDMAIL = _collection(
    "sendmail",
    {**MAIL, "from-address": s.string(), **COMMON},
    ("author", "comment", "disable", "from-address", "mailto", "mailto-user"),
    on_create=_check_recipients,
    on_update=_check_recipients,
)
SMTP = _collection(
    "smtp",
    {
        "server": s.string().req(),
        "port": s.integer(minimum=0, maximum=65535),
        "mode": s.enum("insecure", "starttls", "tls"),
        "username": s.string(),
        "password": s.string(),
        **MAIL,
        "from-address": s.string().req(),
        **COMMON,
    },
    ("author", "comment", "disable", "mailto", "mailto-user", "password", "port", "username"),
    secrets=("password",),
    on_create=_check_recipients,
    on_update=_check_recipients,
)
GOTIFY = _collection(
    "gotify",
    {"server": s.string().req(), "token": s.string().req(), **COMMON},
    ("comment", "disable"),
    secrets=("token",),
)


# -- webhook -------------------------------------------------------------------------------
def _normalize_headers(ctx, name, data, params, old=None):
    if "header" in params:
        headers = []
        for item in params["header"]:
            kv = _key_value(item)
            if old is not None:  # only the update handler checks the values
                if kv.get("value") is None:
                    raise ApiError(400, f"header '{kv['name']}' has empty value")
                if not _decode_base64(kv["value"]):
                    raise ApiError(
                        400, f"header '{kv['name']}' does not have valid base64 encoded data"
                    )
            headers.append(_print_key_value(kv["name"], kv.get("value")))
        data["header"] = headers
    if not data.get("header"):
        data.pop("header", None)


def _webhook_create(ctx, name, data, params):
    _normalize_headers(ctx, name, data, params)
    if "secret" in data:
        data["secret"] = [_print_key_value(**_key_value(i)) for i in data["secret"]]
        if not data["secret"]:
            del data["secret"]


def _webhook_update(ctx, name, data, params, old):
    _normalize_headers(ctx, name, data, params, old)
    if "secret" not in params:
        return
    known = {}
    for item in WEBHOOK.secret_store(ctx).get(name, {}).get("secret", []):
        kv = _key_value(item)
        known[kv["name"]] = item
    new = []
    seen = set()
    for item in params["secret"]:
        kv = _key_value(item)
        if kv.get("value") is not None:
            if not _decode_base64(kv["value"]):
                raise ApiError(
                    400, f"secret '{kv['name']}' does not have valid base64 encoded data"
                )
            secret = _print_key_value(kv["name"], kv["value"])
        elif kv["name"] in known:
            secret = known[kv["name"]]
        else:
            raise ApiError(400, f"secret '{kv['name']}' not known")
        if kv["name"] in seen:
            raise ApiError(400, f"secret '{kv['name']}' defined multiple times")
        seen.add(kv["name"])
        new.append(secret)
    if new:
        data["secret"] = new
    else:
        data.pop("secret", None)


class Webhooks(Notifications):
    """Secrets are kept privately but shown by name."""

    def output(self, ctx, entry_id, entry):
        data = super().output(ctx, entry_id, entry)
        stored = self.secret_store(ctx).get(entry_id, {}).get("secret", [])
        if stored:
            data["secret"] = [_print_key_value(_key_value(i)["name"]) for i in stored]
        return data


WEBHOOK = _collection(
    "webhook",
    {
        "url": s.string(pattern=HTTP_URL_RE).req(),
        "method": s.enum("post", "put", "get").req(),
        "header": s.array(KEY_AND_BASE64),
        "body": s.string(),
        "secret": s.array(KEY_AND_BASE64),
        **COMMON,
    },
    ("comment", "disable", "header", "body", "secret"),
    secrets=("secret",),
    on_create=_webhook_create,
    on_update=_webhook_update,
    cls=Webhooks,
)
ENDPOINTS = {"gotify": GOTIFY, "sendmail": SENDMAIL, "smtp": SMTP, "webhook": WEBHOOK}


# -- matchers --------------------------------------------------------------------------------
FIELD_RE = re.compile(rf"^(?:(exact|regex):)?({values.SAFE_ID})=(.*)$")
SEVERITIES = ("info", "notice", "warning", "error", "unknown")


def _field_error(item):
    """FieldMatcher::from_str; PBS reports it when deserialising the request (UNCONFIRMED
    wording of the wrapper: serde passes the message through)."""
    bad = f"could not apply filter: invalid match-field statement: {item}"
    if not FIELD_RE.match(item):
        return bad
    if item.startswith("regex:"):
        try:
            re.compile(item[len("regex:"):].split("=", 1)[1])
        except re.error as exc:
            return f"could not apply filter: invalid regex: {exc}"
        return None
    return None if item.startswith("exact:") else bad


def _check_matcher(ctx, name, data, params, *rest):
    for item in params.get("match-field", []):
        error = _field_error(item)
        if error:
            raise ApiError(400, error)
    for item in params.get("match-severity", []):
        for severity in item.split(","):
            if severity.strip() not in SEVERITIES:
                raise ApiError(400, f"invalid severity {severity.strip()}")
    for item in params.get("match-calendar", []):
        reason = calendar.check_daily_duration(item)
        if reason:
            raise ApiError(400, f"could not parse schedule: {reason}")
    if not rest or "target" in params:
        for target in params.get("target", []):
            if not any(ctx.state.file(FILE).get(target, t) for t in ENDPOINT_TYPES):
                raise ApiError(404, f"endpoint '{target}' does not exist")
    for key in ("match-field", "match-severity", "match-calendar", "target"):
        if key in data and not data[key]:
            del data[key]


MATCHERS = _collection(
    "matcher",
    {
        "match-field": s.array(s.string()),
        "match-severity": s.array(s.string()),
        "match-calendar": s.array(s.string()),
        "mode": s.enum("all", "any"),
        "invert-match": s.boolean(),
        "target": s.array(ENTITY_NAME),
        **COMMON,
    },
    ("match-severity", "match-field", "match-calendar", "target", "mode", "invert-match",
     "comment", "disable"),
    on_create=_check_matcher,
    on_update=_check_matcher,
    extra="matcher",
    base=f"{BASE}/matchers",
)


# -- targets and helpers ---------------------------------------------------------------------
@endpoint("GET", f"{BASE}/targets", params=None, permission=AUDIT)
def list_targets(ctx, params):
    cfg = ctx.state.file(FILE)
    out = []
    for kind in ENDPOINT_TYPES:
        for name, entry in cfg.items(kind):
            item = {"name": name, "origin": origin(name, entry), "type": kind}
            for key in ("disable", "comment"):
                if key in entry:
                    item[key] = entry[key]
            out.append(item)
    return out


def sent_notifications(state):
    """Test notifications "sent" so far: ``[{"target", "type"}]`` (tests may inspect it)."""
    return state.runtime.setdefault("notifications-sent", [])


def delivery_failures(state):
    """``{<endpoint name>: <reason>}``: sending to these endpoints fails."""
    return state.runtime.setdefault("notification-failures", {})


@endpoint("POST", f"{BASE}/targets/{{name}}/test", params={"name": ENTITY_NAME.req()},
          permission=MODIFY)
def test_target(ctx, params):
    name = params["name"]
    cfg = ctx.state.file(FILE)
    kind = next((k for k in ENDPOINT_TYPES if cfg.get(name, k) is not None), None)
    if kind is None:
        raise ApiError(404, f"endpoint '{name}' does not exist")
    reason = delivery_failures(ctx.state).get(name)
    if reason:
        raise ApiError(
            500, f"Could not test target: could not notify via endpoint(s): {name}: {reason}"
        )
    sent_notifications(ctx.state).append({"target": name, "type": kind})


MATCHABLE_FIELDS = ("datastore", "hostname", "job-id", "media-pool", "type")
NOTIFICATION_TYPES = ("acme", "gc", "package-updates", "prune", "sync", "system-mail",
                      "tape-backup", "tape-load", "thresholds", "verify")


@endpoint("GET", f"{BASE}/matcher-fields", params=None, permission=AUDIT)
def matcher_fields(ctx, params):
    return [{"name": name} for name in MATCHABLE_FIELDS]


@endpoint("GET", f"{BASE}/matcher-field-values", params=None, permission=AUDIT)
def matcher_field_values(ctx, params):
    """Datastores, media pools, job ids, the host name and the notification types the
    caller can see; ``comment`` is serialised as null when absent (no skip in PBS)."""
    out = [{"field": "datastore", "value": d["store"], "comment": d.get("comment")}
           for d in list_admin_datastores(ctx, {})]
    out += [{"field": "media-pool", "value": name, "comment": None}
            for name, _e in ctx.state.file("media-pool.cfg").items()]
    out += [{"field": "job-id", "value": job_id, "comment": e.get("comment")}
            for job_id, e in ctx.state.file("tape-job.cfg").items()]
    for coll in (PRUNE_JOBS, SYNC_JOBS, VERIFY_JOBS):
        out += [{"field": "job-id", "value": job_id, "comment": e.get("comment")}
                for job_id, e in coll.cfg(ctx).items(coll.section_type) if coll.can_read(ctx, e)]
    out.append({"field": "hostname", "value": ctx.state.node, "comment": None})
    out += [{"field": "type", "value": t, "comment": None} for t in NOTIFICATION_TYPES]
    out.sort(key=lambda v: (v["field"], v["value"]))
    return out
