"""
Catalog entry of PBS users (``/access/users``).

Id ``name@realm``. PBS stores ``enable: true`` and ``expire: 0`` as absent, so both are
compared with those defaults. The ``password`` of a ``pbs``-realm user is sent with the
create; PBS ignores it on the user update, so a changed password goes through
``PUT /access/password`` (:data:`SET_PASSWORD`), which refuses API tokens and needs the
caller's own password as confirmation unless the caller is ``root@pam``. Passwords of
``pam``, ``ldap``, ``ad`` and ``openid`` users live outside PBS and are refused.
"""

from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import catalog
from saltext.pbs.utils.catalog import COMMENT
from saltext.pbs.utils.catalog import NO_CONTROL_RE
from saltext.pbs.utils.catalog import Kind
from saltext.pbs.utils.catalog import Prop
from saltext.pbs.utils.catalog import UpdateVia
from saltext.pbs.utils.catalog import invalid
from saltext.pbs.utils.kinds.access import SUPERUSER
from saltext.pbs.utils.kinds.access import USER_CFG
from saltext.pbs.utils.kinds.access import realm_of

USER_PRIVILEGES = {
    "list": "any authenticated user (all users with ``Sys.Audit`` on ``/access/users``,"
    " else only the caller)",
    "get": "``Sys.Audit`` on ``/access/users``, or being that user",
    "create": "``Permissions.Modify`` on ``/access/users``",
    "update": "``Permissions.Modify`` on ``/access/users``, or being that user",
    "delete": "``Permissions.Modify`` on ``/access/users``, or being that user",
    "password": "ticket authentication (API tokens are refused); ``root@pam`` for any user,"
    " else the caller's own password as confirmation and ``Permissions.Modify`` on ``/``"
    " for other users",
}


def password_body(client, ident, value):
    """
    The body of ``PUT /access/password`` changing user ``ident``'s password (PBS ignores
    ``password`` on the user update). PBS refuses API tokens there and wants the caller's
    own password as confirmation unless the caller is ``root@pam``; both are refused here,
    from the profile's settings, before any request.
    """
    if getattr(client, "token_id", None):
        raise SaltInvocationError(
            f"Cannot change the password of user '{ident}': PBS refuses API tokens on"
            f" PUT /access/password and this profile authenticates with token"
            f" '{client.token_id}'. Use a profile with username/password (ticket"
            " authentication), or update_secret: on_create to set the password only when"
            " the user is created"
        )
    body = {"userid": ident, "password": value}
    caller = getattr(client, "username", None)
    if caller != SUPERUSER:
        confirmation = (getattr(client, "conf", None) or {}).get("password")
        if not confirmation:
            raise SaltInvocationError(
                f"Cannot change the password of user '{ident}': PBS wants the caller's own"
                f" password as confirmation and the profile of '{caller}' has none"
            )
        body["confirmation-password"] = confirmation
    return body


SET_PASSWORD = UpdateVia(
    body=password_body,
    path="/access/password",
    refused="PBS refused to change the password of user '{ident}': it did not accept the"
    " password of '{caller}' as confirmation, or the user does not exist",
)


def _user_checks(kind, values, op):  # pylint: disable=unused-argument
    # firstname/lastname/email: PBS's schema wants 2+ characters; clearing is via null
    for wire in ("firstname", "lastname", "email"):
        if values.get(wire) == "":
            raise invalid(wire, "empty text is not allowed; use null to clear it")


def _name_part(wire, doc):
    return Prop(wire, doc=doc, min_length=2, max_length=64, pattern=NO_CONTROL_RE, deletable=True)


ENABLE = Prop(
    "enable", "boolean", doc="Whether it may log in / be used (default true)", default=True
)
EXPIRE = Prop(
    "expire",
    "integer",
    doc="Expiry as a Unix epoch (seconds); 0 (default) means never",
    minimum=0,
    default=0,
)

def _unchanged_superuser(obj):
    """``root@pam`` always exists: PBS adds it back (comment ``Superuser``) when it is
    missing from its user configuration, so one in that state is as absent as PBS allows."""
    defaults = {"userid": SUPERUSER, "comment": "Superuser"}
    if obj.get("userid") != SUPERUSER:
        return None
    if any(obj.get(k) != v for k, v in defaults.items()):
        return None
    for prop in USER.props:
        if prop.wire != "comment" and obj.get(prop.wire) not in (None, prop.default):
            return None
    return "is built into PBS and has its default configuration; PBS cannot remove it"


USER = Kind(
    name="user",
    title="User",
    collection="/access/users",
    item="/access/users/{name}",
    id_param="userid",
    id_key="userid",
    id_prop=Prop("userid", min_length=3, max_length=64, fmt="userid"),
    digest_group=USER_CFG,
    invalidates=("acl",),
    checks=(_user_checks,),
    builtin=_unchanged_superuser,
    delete_note="PBS also deleted its API tokens with their ACL entries; the user's own ACL"
    " entries stay in PBS's ACL configuration until removed (pbs_acl.absent)",
    privileges=USER_PRIVILEGES,
    props=(
        ENABLE,
        EXPIRE,
        _name_part("firstname", "First name"),
        _name_part("lastname", "Last name"),
        _name_part("email", "E-mail address"),
        COMMENT,
        Prop(
            "password",
            doc="Password of a ``pbs``-realm user (8-64 characters; sent according to"
            " ``update_secret``)",
            min_length=8,
            max_length=64,
            pattern=NO_CONTROL_RE,
            secret=True,
            update_via=SET_PASSWORD,
        ),
    ),
)


def check_user(name, properties):
    """Validate a user id and refuse a password PBS does not keep (non-``pbs`` realms)."""
    ident = USER.check_id(name)
    if catalog.clean_kwargs(properties).get("password") is not None and realm_of(ident) != "pbs":
        realm = realm_of(ident)
        where = {
            "pam": "the PBS host's system (PAM) password",
            "ldap": "the LDAP directory",
            "ad": "Active Directory",
            "openid": "the OpenID provider",
        }.get(realm, f"realm '{realm}'")
        raise invalid(
            "password",
            f"user '{ident}' is in realm '{realm}', whose passwords are managed by {where},"
            " not by PBS; only users of the 'pbs' realm get a password from this state."
            " Remove 'password'",
        )
    return ident
