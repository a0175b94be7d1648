"""ACME accounts, challenge plugins and the static helper lists (``/config/acme/...``).

PBS src/api2/config/acme.rs on top of proxmox-acme-api (account_api_impl.rs,
account_config.rs, plugin_api_impl.rs, plugin_config.rs, config.rs, types.rs).

Accounts are files in PBS (one JSON file per account, no digest); here they are sections of
``acme/accounts``. Register, update and deactivate are worker tasks (``acme-register``,
``acme-update``, ``acme-deactivate``) that talk to the CA; the simulated CA accepts every
request unless ``state.runtime["acme-ca-error"]`` holds a message, which then fails the task
(and, with ``force``, a deactivation goes ahead anyway as PBS's does). A deactivated account
is renamed to ``_deactivated_<name>_<n>`` and disappears from the list.

Plugins live in ``acme/plugins.cfg`` (digest on list and item reads). The built-in
``standalone`` (HTTP-01) plugin is added back on every read when missing; only ``dns``
plugins can be created or updated; ``data`` is sent base64-encoded and returned decoded;
DELETE takes no ``digest``; unknown ids are 404 ``no such plugin``.
"""

import base64
import binascii
import hashlib

from saltext.pbs.simulator import perms
from saltext.pbs.simulator import schema as s
from saltext.pbs.simulator import tasks
from saltext.pbs.simulator import values
from saltext.pbs.simulator.collections import Collection
from saltext.pbs.simulator.errors import ApiError
from saltext.pbs.simulator.errors import ParamError
from saltext.pbs.simulator.router import endpoint

MODIFY = perms.Privilege("/system/certificates", "Sys.Modify")
ACCOUNTS = "acme/accounts"
PLUGINS = "acme/plugins.cfg"
ACCOUNT_NAME = s.string(pattern=values.SAFE_ID_RE)

# proxmox-acme-api config.rs
DIRECTORIES = (
    {"name": "Let's Encrypt V2", "url": "https://acme-v02.api.letsencrypt.org/directory"},
    {
        "name": "Let's Encrypt V2 Staging",
        "url": "https://acme-staging-v02.api.letsencrypt.org/directory",
    },
)
DEFAULT_DIRECTORY = DIRECTORIES[0]["url"]
LE_TOS = "https://letsencrypt.org/documents/LE-SA-v1.5-February-24-2025.pdf"

# A few entries of /usr/share/proxmox-acme/dns-challenge-schema.json (shape as PBS returns)
CHALLENGE_SCHEMAS = (
    {
        "id": "acmedns",
        "name": "acme-dns",
        "type": "dns",
        "schema": {
            "fields": {
                "ACMEDNS_BASE_URL": {"description": "The ACME-DNS API address", "type": "string"},
                "ACMEDNS_PASSWORD": {"description": "The ACME-DNS password", "type": "string"},
                "ACMEDNS_SUBDOMAIN": {"description": "The ACME-DNS subdomain", "type": "string"},
                "ACMEDNS_USERNAME": {"description": "The ACME-DNS username", "type": "string"},
            },
            "name": "acme-dns",
        },
    },
    {
        "id": "cf",
        "name": "Cloudflare Managed DNS",
        "type": "dns",
        "schema": {
            "fields": {
                "CF_Account_ID": {"description": "CloudFlare Account ID", "type": "string"},
                "CF_Token": {"description": "The CloudFlare API token", "type": "string"},
                "CF_Zone_ID": {"description": "Zone ID", "type": "string"},
            },
            "name": "Cloudflare Managed DNS",
        },
    },
    {"id": "ovh", "name": "OVH", "type": "dns", "schema": {"name": "OVH"}},
    {"id": "aws", "name": "Amazon Route53 (AWS)", "type": "dns", "schema": {"name": "AWS"}},
)


def _tos_urls(state):
    tos = {entry["url"]: LE_TOS for entry in DIRECTORIES}
    tos.update(state.runtime.get("acme-tos", {}))
    return tos


# -- helpers (directories, ToS, challenge schemas) ------------------------------------------


@endpoint("GET", "/config/acme/directories", params=None, permission=perms.Anybody())
def get_directories(ctx, params):
    return [dict(entry) for entry in DIRECTORIES]


@endpoint(
    "GET", "/config/acme/tos", params={"directory": s.string()}, permission=perms.Anybody()
)
def get_tos(ctx, params):
    """The directory's ``meta.termsOfService`` (None when it has none)."""
    return _tos_urls(ctx.state).get(params.get("directory", DEFAULT_DIRECTORY))


@endpoint("GET", "/config/acme/challenge-schema", params=None, permission=perms.Anybody())
def get_challenge_schema(ctx, params):
    return [dict(entry) for entry in CHALLENGE_SCHEMAS]


# -- accounts -----------------------------------------------------------------------------


def _accounts(state):
    return state.file(ACCOUNTS)


def _contacts(text):
    """account_contact_from_string: split on space ; , NUL, each as a mailto: URI."""
    parts = text
    for sep in (";", ",", "\0"):
        parts = parts.replace(sep, " ")
    return [f"mailto:{part}" for part in parts.split(" ")]


def _ca_error(state):
    return state.runtime.get("acme-ca-error")


@endpoint("GET", "/config/acme/account", params=None, permission=MODIFY)
def list_accounts(ctx, params):
    return [{"name": name} for name, _ in _accounts(ctx.state).items() if not name.startswith("_")]


def _load_account(state, name):
    entry = _accounts(state).get(name)
    if entry is None:
        raise ApiError(400, f"acme account '{name}' does not exist")
    return entry


@endpoint(
    "GET", "/config/acme/account/{name}", params={"name": ACCOUNT_NAME.req()}, permission=MODIFY
)
def get_account(ctx, params):
    entry = _load_account(ctx.state, params["name"])
    return {k: v for k, v in entry.items() if k != "type"}


@endpoint(
    "POST",
    "/config/acme/account",
    params={
        "name": ACCOUNT_NAME,
        "contact": s.string().req(),
        "tos_url": s.string(),
        "directory": s.string(),
        "eab_kid": s.string(),
        "eab_hmac_key": s.string(),
    },
    permission=MODIFY,
    secrets=("eab_hmac_key",),
)
def register_account(ctx, params):
    name = params.get("name", "default")
    if ("eab_kid" in params) != ("eab_hmac_key" in params):
        raise ApiError(400, "either both or none of 'eab_kid' and 'eab_hmac_key' have to be set.")
    if _accounts(ctx.state).get(name) is not None:
        raise ApiError(400, f"account {name} already exists")
    args = {
        "name": name,
        "contact": params["contact"],
        "tos_url": params.get("tos_url"),
        "directory": params.get("directory", DEFAULT_DIRECTORY),
        "eab_kid": params.get("eab_kid"),
    }
    return ctx.sim.tasks.spawn(
        "acme-register",
        name,
        ctx.auth_id,
        log=[f"Registering ACME account '{name}'..."],
        effect="acme.register",
        args=args,
    )


@tasks.effect("acme.register")
def _register_effect(state, task, name, contact, tos_url, directory, eab_kid):
    error = _ca_error(state)
    if error:
        raise RuntimeError(error)
    if _accounts(state).get(name) is not None:
        raise RuntimeError(f"account {name} already exists")
    serial = int(hashlib.sha256(f"{directory} {name}".encode()).hexdigest()[:9], 16)
    base = directory.rsplit("/", 1)[0]
    account = {"status": "valid", "contact": _contacts(contact)}
    if tos_url is not None:
        account["termsOfServiceAgreed"] = True
    if eab_kid is not None:
        # a JWS over the account key, signed with the HMAC key (never the key itself)
        account["externalAccountBinding"] = {
            "protected": base64.urlsafe_b64encode(
                f'{{"alg":"HS256","kid":"{eab_kid}"}}'.encode()
            ).decode().rstrip("="),
            "payload": base64.urlsafe_b64encode(b"account-key").decode().rstrip("="),
            "signature": hashlib.sha256(eab_kid.encode()).hexdigest(),
        }
    entry = {"account": account, "directory": directory, "location": f"{base}/acct/{serial}"}
    if tos_url is not None:
        entry["tos"] = tos_url
    _accounts(state).set(name, "account", entry)
    task.log(f"Registration successful, account URL: {entry['location']}")


@endpoint(
    "PUT",
    "/config/acme/account/{name}",
    params={"name": ACCOUNT_NAME.req(), "contact": s.string()},
    permission=MODIFY,
)
def update_account(ctx, params):
    return ctx.sim.tasks.spawn(
        "acme-update",
        params["name"],
        ctx.auth_id,
        effect="acme.update",
        args={"name": params["name"], "contact": params.get("contact")},
    )


def _task_account(state, name):
    """The account's stored data inside a worker (a missing one fails the task)."""
    try:
        entry = _load_account(state, name)
    except ApiError as exc:
        raise RuntimeError(exc.message) from None
    return {k: v for k, v in entry.items() if k != "type"}


@tasks.effect("acme.update")
def _update_effect(state, task, name, contact):
    data = _task_account(state, name)
    error = _ca_error(state)
    if error:
        raise RuntimeError(error)
    if contact is not None:
        data["account"] = dict(data["account"], contact=_contacts(contact))
    _accounts(state).set(name, "account", data)


@endpoint(
    "DELETE",
    "/config/acme/account/{name}",
    params={"name": ACCOUNT_NAME.req(), "force": s.boolean()},
    permission=MODIFY,
)
def deactivate_account(ctx, params):
    return ctx.sim.tasks.spawn(
        "acme-deactivate",
        params["name"],
        ctx.auth_id,
        effect="acme.deactivate",
        args={"name": params["name"], "force": params.get("force", False)},
    )


@tasks.effect("acme.deactivate")
def _deactivate_effect(state, task, name, force):
    data = _task_account(state, name)
    error = _ca_error(state)
    if error and not force:
        raise RuntimeError(error)
    if error:
        task.log(f"error deactivating account {name}, proceedeing anyway - {error}")  # sic
    else:
        data["account"] = dict(data["account"], status="deactivated")
    accounts = _accounts(state)
    index = 0
    while accounts.get(f"_deactivated_{name}_{index}") is not None:
        index += 1
    accounts.remove(name)
    accounts.set(f"_deactivated_{name}_{index}", "account", data)


# -- plugins ------------------------------------------------------------------------------

STANDALONE = {"type": "standalone"}


def _decode_data(text):
    """proxmox_base64::decode (standard alphabet, padding required) + UTF-8 check."""
    try:
        raw = base64.b64decode(text.encode(), validate=True)
    except (binascii.Error, ValueError):
        # wording of the base64 crate's DecodeError
        bad = next((i for i, c in enumerate(text) if not (c.isalnum() or c in "+/=")), None)
        if bad is not None:
            raise ApiError(400, f"Invalid symbol {ord(text[bad])}, offset {bad}.") from None
        raise ApiError(400, "Invalid input length.") from None
    try:
        return raw.decode()
    except UnicodeDecodeError:
        raise ApiError(400, "data must be valid UTF-8") from None


class Plugins(Collection):
    """The ACME plugin collection (see the module docstring)."""

    def sections(self, ctx):
        items = dict(self.cfg(ctx).items())
        if "standalone" not in items:
            items["standalone"] = STANDALONE
        return items

    def lookup(self, ctx, entry_id):
        entry = self.sections(ctx).get(entry_id)
        if entry is None:
            raise ApiError(404, "no such plugin")
        return entry

    def output(self, ctx, entry_id, entry):
        data = {"plugin": entry_id, "type": entry["type"]}
        data.update({k: v for k, v in entry.items() if k not in ("type", "plugin", "id")})
        return data

    def do_list(self, ctx, params):
        ctx.attrs["digest"] = self.cfg(ctx).digest()
        return [self.output(ctx, i, e) for i, e in self.sections(ctx).items()]

    def build_new(self, ctx, params):
        if params["type"] != "dns":
            raise ParamError({"type": f'invalid ACME plugin type: "{params["type"]}"'})
        data = _decode_data(params["data"])
        entry_id = params["id"]
        if entry_id in self.sections(ctx):
            raise ParamError({"id": f'ACME plugin ID "{entry_id}" already exists'})
        new = {k: v for k, v in params.items() if k in self.props and k not in ("type", "id")}
        new["data"] = data
        return entry_id, new

    def do_update(self, ctx, params):
        if "data" in params:
            params = dict(params, data=_decode_data(params["data"]))
        super().do_update(ctx, params)

    def do_delete(self, ctx, params):
        if self.cfg(ctx).remove(params["id"]) is None:
            raise ApiError(404, "no such plugin")


def _check_updatable(ctx, entry_id, data, params, old):
    entry_type = PLUGIN_COLLECTION.lookup(ctx, entry_id)["type"]
    if entry_type != "dns":
        raise ApiError(400, f'cannot update plugin of type "{entry_type}"')


PLUGIN_COLLECTION = Plugins(
    file=PLUGINS,
    section_type="dns",
    base="/config/acme/plugins",
    id_param="id",
    id_schema=s.safe_id(1, 32),
    props={
        "type": s.string().req(),
        "api": s.string().req(),
        "data": s.string().req(),
        "validation-delay": s.integer(minimum=0, maximum=172800),
        "disable": s.boolean(),
    },
    create_only=("type",),
    deletable=("validation-delay", "disable"),
    id_key="plugin",
    log_secrets=("data",),  # DNS API credentials: PBS returns them, the log file must not
    delete_digest=False,
    trim_comment=False,
    types=("dns", "standalone"),
    perm_list=MODIFY,
    perm_read=MODIFY,
    perm_create=MODIFY,
    perm_modify=MODIFY,
    on_update=_check_updatable,
).register()
