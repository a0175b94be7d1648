"""
Catalog entry of PBS API tokens (``/access/users/{userid}/token/{token-name}``).

Id ``name@realm!tokenname``; created by a POST on the item path, which answers the secret
once. Users and tokens share one PBS config file (one digest). A token's privileges are the
intersection of its own ACL entries and its user's. See
:mod:`saltext.pbs.utils.kinds.token_sink` for where secrets go and
:mod:`saltext.pbs.utils.flows.tokens` for creating, rotating and checking them.
"""

from saltext.pbs.utils.catalog import COMMENT
from saltext.pbs.utils.catalog import Hooks
from saltext.pbs.utils.catalog import Kind
from saltext.pbs.utils.catalog import Prop
from saltext.pbs.utils.catalog import Wire
from saltext.pbs.utils.kinds.access import USER_CFG
from saltext.pbs.utils.kinds.access import split_authid
from saltext.pbs.utils.kinds.users import ENABLE
from saltext.pbs.utils.kinds.users import EXPIRE


def _item_ids(ident):
    """Tokens are named by their full id; the item path wants the user and the token name."""
    userid, tokenname = split_authid(ident)
    return {"userid": userid, "name": tokenname}


TOKEN = Kind(
    name="token",
    title="API token",
    collection="/access/users/{userid}/token",
    item="/access/users/{userid}/token/{name}",
    id_param="tokenid",
    id_key="tokenid",
    id_prop=Prop("tokenid", min_length=3, max_length=64, fmt="tokenid"),
    parents=("userid",),
    wire=Wire(create_on_item=True, item_ids=_item_ids),
    hooks=Hooks(revealed_secret="secret_file"),
    digest_group=USER_CFG,
    invalidates=("acl",),
    delete_note="PBS also removed the token's ACL entries",
    privileges={
        "list": "``Sys.Audit`` on ``/access/users``, or being the token's user",
        "get": "``Sys.Audit`` on ``/access/users``, or being the token's user",
        "create": "``Permissions.Modify`` on ``/access/users``, or being the token's user",
        "update": "``Permissions.Modify`` on ``/access/users``, or being the token's user",
        "delete": "``Permissions.Modify`` on ``/access/users``, or being the token's user",
    },
    props=(ENABLE, EXPIRE, COMMENT),
)


def token_ids(name):
    """Validate a token id; returns ``(tokenid, {"userid": user})``."""
    ident = TOKEN.check_id(name)
    return ident, {"userid": split_authid(ident)[0]}
