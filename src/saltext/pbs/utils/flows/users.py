"""Flows of PBS users: the ``present`` state (realm rules for passwords) and password changes."""

from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import objects
from saltext.pbs.utils import reconcile
from saltext.pbs.utils.kinds.users import USER
from saltext.pbs.utils.kinds.users import check_user
from saltext.pbs.utils.reconcile import StateReturn


def user_present(name: str, properties: dict, **engine) -> StateReturn:
    """State ``pbs_user.present`` (``engine``: keyword arguments of reconcile.present)."""
    try:
        ident = check_user(name, properties)
    except SaltInvocationError as err:
        return reconcile.failed(name, err)
    return reconcile.present(USER, ident, properties, **engine)


def set_password(client, ident: str, value: str) -> None:
    """
    Change the password of user ``ident`` with ``PUT /access/password``, as an update of
    ``password`` does (:data:`~saltext.pbs.utils.kinds.users.SET_PASSWORD`).
    """
    objects.send_separately(client, USER, ident, USER.prop("password"), value)
