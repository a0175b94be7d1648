"""Flows of notification endpoints: which type an endpoint of a given name has."""

from saltext.pbs.utils.catalog import Kind
from saltext.pbs.utils.kinds.notifications import ENTITY_NAME
from saltext.pbs.utils.kinds.notifications import NOTIFICATION_ENDPOINT

TARGETS = "/config/notifications/targets"


def endpoint_variant(client, name: str, type_name: str | None = None) -> Kind | None:
    """
    The sub-kind of endpoint ``name``: of ``type_name`` when given, else looked up in PBS's
    list of targets. None when no endpoint of that name exists.
    """
    if type_name is not None:
        return NOTIFICATION_ENDPOINT.variant(type_name)
    name = ENTITY_NAME.coerce(name, "name")
    for target in client.get(TARGETS).data or []:
        if target.get("name") == name and target.get("type") in NOTIFICATION_ENDPOINT.types:
            return NOTIFICATION_ENDPOINT.types[target["type"]]
    return None
