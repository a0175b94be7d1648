"""The per-process ticket store the clients share (memory only)."""

from saltext.pbs.utils import tickets

URL = "https://pbs.example:8007"


def test_shared_per_url_user_and_password():
    tickets.put(URL, "root@pam", "pw-1", "PBS:ticket", "csrf", now=100.0)
    assert tickets.get(URL, "root@pam", "pw-1", now=160.0) == ("PBS:ticket", "csrf", 60.0)
    # another password, user or PBS logs in itself
    assert tickets.get(URL, "root@pam", "pw-2", now=160.0) is None
    assert tickets.get(URL, "admin@pbs", "pw-1", now=160.0) is None
    assert tickets.get("https://other:8007", "root@pam", "pw-1", now=160.0) is None


def test_old_tickets_are_not_handed_out():
    tickets.put(URL, "root@pam", "pw-1", "PBS:ticket", "csrf", now=0.0)
    assert tickets.get(URL, "root@pam", "pw-1", now=tickets.MAX_AGE) is None


def test_no_password_kept_in_the_store():
    tickets.put(URL, "root@pam", "secret-password-1", "PBS:ticket", "csrf")
    assert "secret-password-1" not in repr(tickets._TICKETS)  # pylint: disable=protected-access


def test_drop_only_the_ticket_named():
    tickets.put(URL, "root@pam", "pw-1", "PBS:new", "csrf")
    tickets.drop(URL, "root@pam", "pw-1", ticket="PBS:old")
    assert tickets.get(URL, "root@pam", "pw-1")[0] == "PBS:new"
    tickets.drop(URL, "root@pam", "pw-1")
    assert tickets.get(URL, "root@pam", "pw-1") is None
