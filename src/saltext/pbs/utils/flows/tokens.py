"""
Flows of PBS API tokens: PBS shows a token's secret once, when the token is created or
regenerated, so these hand it to a sink (:mod:`saltext.pbs.utils.kinds.token_sink`) and
check, on later runs, that the kept secret still works.
"""

import dataclasses
import logging
import time

from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import catalog
from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import objects
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.errors import PbsAuthenticationError
from saltext.pbs.utils.errors import PbsError
from saltext.pbs.utils.flows import engine_client
from saltext.pbs.utils.kinds.tokens import TOKEN
from saltext.pbs.utils.kinds.tokens import token_ids
from saltext.pbs.utils.kinds.users import USER
from saltext.pbs.utils.reconcile import StateReturn

log = logging.getLogger(__name__)


def _user_must_exist(client, userid):
    catalog.must_exist(client, "name", "/access/users/{name}", userid, "the token's user")


def token_secret_from(result, tokenid, key):
    """The secret PBS returned (``value`` on create, ``secret`` on regenerate)."""
    secret = result.get(key) if isinstance(result, dict) else None
    if not isinstance(secret, str) or not secret:
        raise CommandExecutionError(f"PBS returned no secret for API token '{tokenid}'")
    return secret


def create_token(
    client, name: str, sink, return_secret: bool = False, properties: dict | None = None
) -> dict:
    """
    Create an API token and hand its secret to ``sink`` (a :class:`Sink` or None).
    Returns ``{"tokenid", "secret_written_to"}``, plus ``secret`` only when
    ``return_secret`` is true.
    """
    ident, parents = token_ids(name)
    if sink is None and not return_secret:
        raise SaltInvocationError(
            "Creating an API token needs 'secret_file' or 'secret_sdb' (PBS shows the secret"
            " only once), or return_secret=True to have it returned"
        )
    values = catalog.desired(TOKEN, properties or {}, "create")
    if sink is not None:
        sink.check()
    _user_must_exist(client, parents["userid"])
    result = objects.send_create(client, TOKEN, ident, catalog.wire_body(TOKEN, values), parents)
    return _deliver(ident, token_secret_from(result, ident, "value"), sink, return_secret)


def regenerate_token(client, name: str, sink, return_secret: bool = False) -> dict:
    """Give a token a new secret (its ACL entries stay) and hand it to ``sink``."""
    ident, parents = token_ids(name)
    if sink is None and not return_secret:
        raise SaltInvocationError(
            "Regenerating an API token needs 'secret_file' or 'secret_sdb' for the new"
            " secret, or return_secret=True to have it returned"
        )
    if sink is not None:
        sink.check()
    path = objects.item_path(client, TOKEN, ident, parents)
    result = client.put(path, data={"regenerate": True}).data
    return _deliver(ident, token_secret_from(result, ident, "secret"), sink, return_secret)


def _deliver(ident, secret, sink, return_secret):
    out = {"tokenid": ident, "secret_written_to": None}
    if sink is not None:
        sink.write(ident, secret)
        out["secret_written_to"] = str(sink)
    if return_secret:
        out["secret"] = secret
    return out


def list_tokens(client, userid: str | None = None) -> list[dict]:
    """Tokens of one user, or of every user the caller may see."""
    if userid is not None:
        userid = USER.check_id(userid)
        return objects.list_objects(client, TOKEN, {"userid": userid})
    users = client.get("/access/users", params={"include_tokens": True}).data or []
    return [token for user in users for token in user.get("tokens", [])]


def token_present(
    name: str, properties: dict, sink=None, regenerate_if_lost: bool = False, **engine
) -> StateReturn:
    """
    State ``pbs_token.present``. The secret of a created token goes to ``sink``; an
    existing token is never rotated unless its sink lost the secret and
    ``regenerate_if_lost`` is true.
    """
    try:
        ident, parents = token_ids(name)
    except SaltInvocationError as err:
        return reconcile.failed(name, err)

    def before_create(client, kind, values, op):  # pylint: disable=unused-argument
        if op != "create":
            return
        if sink is None:
            raise SaltInvocationError(
                f"API token '{ident}' does not exist and cannot be created without"
                " 'secret_file' or 'secret_sdb': PBS shows its secret only once"
            )
        sink.check()
        _user_must_exist(client, parents["userid"])

    kind = dataclasses.replace(TOKEN, preflight=(before_create,))
    ret = reconcile.present(
        kind,
        ident,
        properties,
        parents=parents,
        created=lambda result: sink.write(ident, token_secret_from(result, ident, "value")),
        **engine,
    )
    if ret["result"] is False:
        return ret
    if ret["changes"] and ret["changes"].get("old", "") is None:
        ret["changes"]["new"]["secret"] = catalog.HIDDEN
        done = "would be written" if ret["result"] is None else "was written"
        ret["comment"] += f"; its secret {done} to {sink}"
        return ret
    if sink is None:
        return ret
    secret = sink.read(ident)
    if secret is None:
        return _lost_secret(ret, ident, sink, regenerate_if_lost, engine)
    client = engine_client(engine)
    works = _secret_works(client, ident, secret)
    if works is None:
        ret["comment"] += f"; PBS could not be asked whether the secret in {sink} still works"
        return ret
    if works:
        return ret
    # a disabled or expired token is refused whatever its secret: that is no proof of loss
    token = objects.get_object(client, TOKEN, ident, parents) or {}
    if token.get("enable") is False or 0 < (token.get("expire") or 0) <= time.time():
        ret["comment"] += (
            f"; the token is disabled or expired, so the secret in {sink} was not checked"
        )
        return ret
    return _lost_secret(ret, ident, sink, regenerate_if_lost, engine, rejected=True)


def _secret_works(client, ident, secret):
    """
    Whether PBS accepts ``secret`` for token ``ident``: one ``GET /version`` with it.
    None when PBS could not tell (unreachable, TLS error, ...): only a 401 means the
    secret is stale, e.g. because the token was regenerated elsewhere.
    """
    conf = {k: v for k, v in client.conf.items() if k not in ("username", "password")}
    conf.update(token_id=ident, token_secret=secret)
    probe = pbs_client.PbsClient(conf)
    probe.read_attempts = 1  # a cheap check: no retries
    try:
        probe.get("/version")
    except PbsAuthenticationError:
        return False
    except PbsError as err:
        log.warning("PBS: could not check the stored secret of API token '%s': %s", ident, err)
        return None
    finally:
        probe.close()
    return True


def _lost_secret(ret, ident, sink, regenerate_if_lost, engine, rejected=False):
    if rejected:
        problem = f"its secret in {sink} is rejected by PBS (was it regenerated elsewhere?)"
    else:
        problem = f"its secret is missing from {sink}"
    if not regenerate_if_lost:
        ret.update(
            result=False,
            changes={},
            comment=f"API token '{ident}' exists but {problem}, and PBS"
            f" never shows a secret again. This state does not rotate a token by itself:"
            f" rotate it with `salt-call pbs_token.regenerate {ident} {sink.args}` (every"
            f" consumer of the old secret must then be updated), or set"
            f" 'regenerate_if_lost: True'",
        )
        return ret
    ret["changes"]["secret"] = {"old": catalog.HIDDEN, "new": catalog.HIDDEN}
    if engine["opts"].get("test"):
        ret["result"] = None
        ret["comment"] += f"; {problem} and would be regenerated"
        return ret
    try:
        regenerate_token(engine_client(engine), ident, sink)
    except (CommandExecutionError, SaltInvocationError) as err:
        return reconcile.failed(ret["name"], err)
    ret["comment"] += f"; {problem}: regenerated and written there"
    return ret


def token_absent(name: str, **engine) -> StateReturn:
    """State ``pbs_token.absent``."""
    try:
        ident, parents = token_ids(name)
    except SaltInvocationError as err:
        return reconcile.failed(name, err)
    return reconcile.absent(TOKEN, ident, parents=parents, **engine)
