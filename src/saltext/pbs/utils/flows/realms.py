"""
Flows of authentication realms (sync) and of the WebAuthn settings.

A realm update needs no flow: the rule that its ``default`` flag is re-sent with every
update (PBS clears it otherwise) is the engine's (:func:`saltext.pbs.utils.objects.resent`),
for states and execution functions alike.
"""

from saltext.pbs.utils import reconcile
from saltext.pbs.utils.catalog import Prop
from saltext.pbs.utils.catalog import invalid
from saltext.pbs.utils.kinds.realms import REALM_LDAP
from saltext.pbs.utils.kinds.realms import WEBAUTHN
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
