"""Notification endpoint flows: the type of an endpoint looked up by its name."""

from saltext.pbs.utils.flows import notifications
from saltext.pbs.utils.kinds import notifications as nt


def test_endpoint_variant_lookup():
    class Client:
        def get(self, path, params=None):
            assert path == notifications.TARGETS
            return type("R", (), {"data": [{"name": "mail-to-root", "type": "sendmail"}]})()

    assert notifications.endpoint_variant(Client(), "mail-to-root") is nt.SENDMAIL
    assert notifications.endpoint_variant(Client(), "nothing") is None
    assert notifications.endpoint_variant(Client(), "x1", "gotify") is nt.GOTIFY
    endpoint = nt.NOTIFICATION_ENDPOINT
    assert endpoint.with_type({"name": "a"}, nt.SMTP) == {"name": "a", "type": "smtp"}
    assert endpoint.with_type(None, nt.SMTP) is None
