"""
Flows of authentication realms (sync, the built-in ``pam`` and ``pbs`` realms) and of the
WebAuthn settings.

A realm update needs no flow: the rule that its ``default`` flag is re-sent with every
update (PBS clears it otherwise) is the engine's (:func:`saltext.pbs.utils.objects.resent`),
for states and execution functions alike.
"""

from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import reconcile
from saltext.pbs.utils.catalog import Prop
from saltext.pbs.utils.catalog import invalid
from saltext.pbs.utils.kinds.realms import REALM
from saltext.pbs.utils.kinds.realms import REALM_LDAP
from saltext.pbs.utils.kinds.realms import WEBAUTHN
from saltext.pbs.utils.kinds.realms import builtin_realm
from saltext.pbs.utils.reconcile import StateReturn


def sync_realm(
    client,
    realm: str,
    dry_run: bool = False,
    remove_vanished=None,
    enable_new=None,
    wait: bool = True,
    timeout: float | None = None,
):
    """Start a realm sync (``realm-sync`` task); waits for it unless ``wait`` is false."""
    realm = REALM_LDAP.check_id(realm)
    body = {"dry-run": bool(dry_run) or None, "enable-new": enable_new}
    if remove_vanished is not None:
        items = (
            remove_vanished
            if isinstance(remove_vanished, (list, tuple))
            else (str(remove_vanished).replace(",", ";").split(";"))
        )
        items = [str(i).strip() for i in items if str(i).strip()]
        bad = [i for i in items if i not in ("acl", "entry", "properties")]
        if bad or not items:
            raise invalid("remove_vanished", "a list of 'acl', 'entry', 'properties'")
        body["remove-vanished"] = ";".join(items)
    if enable_new is not None:
        body["enable-new"] = Prop("enable-new", "boolean").coerce(enable_new, "enable_new")
    path = client.path("/access/domains/{realm}/sync", realm=realm)
    return client.start_task("POST", path, body, wait, timeout, field="task_timeout")


def webauthn_managed(properties: dict, **engine) -> StateReturn:
    """State ``pbs_webauthn.managed``: first settings need ``rp`` and ``id``."""
    return reconcile.managed(WEBAUTHN, properties, **engine)


def builtin_refused(name, op):
    """Why the built-in realm ``name`` cannot be created or deleted."""
    return SaltInvocationError(
        f"'{name}' is PBS's built-in {name} realm: it always exists and cannot be"
        f" {op}; manage its comment and default with pbs_realm.present type: {name}"
    )


def realm_present(name, type_name, properties: dict, update_secret, **engine) -> StateReturn:
    """State ``pbs_realm.present``: the built-in realms are singletons (no create), the
    others typed objects."""
    try:
        builtin = builtin_realm(name, type_name)
    except SaltInvocationError as err:
        return reconcile.failed(name, err)
    if builtin is None:
        return reconcile.present(
            REALM, name, {**properties, "type": type_name}, update_secret=update_secret,
            **engine,
        )
    return reconcile.managed(builtin, properties, name=name, update_secret=update_secret,
                             **engine)


def realm_absent(name, type_name, **engine) -> StateReturn:
    """State ``pbs_realm.absent``: refused for the built-in realms."""
    try:
        if builtin_realm(name, type_name) is not None:
            raise builtin_refused(name, "removed")
    except (SaltInvocationError, CommandExecutionError) as err:
        return reconcile.failed(name, err)
    return reconcile.absent(REALM, name, type_name=type_name, **engine)
