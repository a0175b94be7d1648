"""
Manage Proxmox Backup Server API tokens (``name@realm!tokenname``).

PBS shows a token's secret only once, when the token is created or regenerated. These
functions never return it by default: they write it to a sink on the minion, either
``secret_file`` (a path, written with mode 0600 as one ``TOKENID:SECRET`` line) or
``secret_sdb`` (an ``sdb://<profile>/<key>`` URI receiving the secret alone), and return
where it went. Pass ``return_secret=True`` to have the secret in the return value instead
(or as well); it then appears in salt-call's output and in the job cache, so prefer a sink.

A token's privileges are the intersection of its own ACL entries and its user's: a new
token can do nothing until an ACL entry names it (``pbs_acl``).

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import docs
from saltext.pbs.utils import objects
from saltext.pbs.utils.flows import tokens as token_flows
from saltext.pbs.utils.kinds import tokens
from saltext.pbs.utils.kinds.token_sink import Sink

__virtualname__ = "pbs_token"
__func_alias__ = {"list_": "list"}

KIND = tokens.TOKEN


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def _sink(secret_file, secret_sdb):
    return Sink.from_args(secret_file, secret_sdb, __opts__, __utils__)


def list_(userid=None, profile=None):
    """
    List API tokens (without secrets): those of ``userid``, or of every user the caller
    may see. Each entry has ``tokenid``, and ``comment``, ``enable``, ``expire`` when set.

    {{privilege:list}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_token.list
        salt-call pbs_token.list userid=backup@pbs
    """
    return token_flows.list_tokens(_client(profile), userid)


def get(name, profile=None):
    """
    Return API token ``name`` (``user@realm!tokenname``, without secret), or ``None`` if it
    does not exist.

    {{privilege:get}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_token.get 'backup@pbs!pve1'
    """
    ident, parents = tokens.token_ids(name)
    return objects.get_object(_client(profile), KIND, ident, parents)


def create(
    name, secret_file=None, secret_sdb=None, return_secret=False, profile=None, **properties
):
    """
    Create API token ``name`` (``user@realm!tokenname``; the user must exist) and write its
    secret to ``secret_file`` or ``secret_sdb``. Properties: ``comment``, ``enable``,
    ``expire``. Returns ``{"tokenid": ..., "secret_written_to": ...}``; the secret itself
    only with ``return_secret=True``. Without a sink and without ``return_secret`` nothing
    is created (the secret would be lost).

    {{privilege:create}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_token.create 'backup@pbs!pve1' secret_file=/root/pbs-pve1.token \\
            comment='PVE host pve1'
    """
    return token_flows.create_token(
        _client(profile), name, _sink(secret_file, secret_sdb), return_secret, properties
    )


def update(name, profile=None, **properties):
    """
    Update API token ``name`` in place (``comment``, ``enable``, ``expire``; ``comment=None``
    clears the comment). The secret does not change. Returns the token.

    {{privilege:update}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_token.update 'backup@pbs!pve1' enable=False
    """
    ident, parents = tokens.token_ids(name)
    return objects.update_object(_client(profile), KIND, ident, properties, parents)


def delete(name, profile=None):
    """
    Delete API token ``name``; PBS also removes its ACL entries.

    {{privilege:delete}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_token.delete 'backup@pbs!pve1'
    """
    ident, parents = tokens.token_ids(name)
    return objects.delete_object(_client(profile), KIND, ident, parents)


def regenerate(name, secret_file=None, secret_sdb=None, return_secret=False, profile=None):
    """
    Rotate API token ``name``: PBS gives it a new secret (its ACL entries stay and the old
    secret stops working at once). The new secret is written to ``secret_file`` or
    ``secret_sdb``; it is returned only with ``return_secret=True``. Every consumer of the
    old secret must be given the new one.

    {{privilege:update}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_token.regenerate 'backup@pbs!pve1' secret_file=/root/pbs-pve1.token
    """
    return token_flows.regenerate_token(
        _client(profile), name, _sink(secret_file, secret_sdb), return_secret
    )


docs.render(globals(), "token")
