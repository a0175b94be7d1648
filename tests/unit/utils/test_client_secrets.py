"""No secret, nor an encoded form of it, in error text or logs on the client's failure paths.

The failure paths are where secrets leak: an answer that quotes the request body (a 400
echoing it, a gateway page), a timeout, a refused login. Each test sends real secrets to a
scripted server, then searches every exception attribute and every log record (DEBUG, all
loggers, urllib3 included) for the secret in plain, base64, URL and form encoding.
"""

import base64
import json
import logging
import urllib.parse

import pytest

from saltext.pbs.utils import errors
from tests.unit.utils.raw_server import TOKEN_SECRET
from tests.unit.utils.raw_server import answer
from tests.unit.utils.raw_server import make_client
from tests.unit.utils.raw_server import server  # pylint: disable=unused-import
from tests.unit.utils.raw_server import tls_files  # pylint: disable=unused-import

PASSWORD = "Login+Pa55 w/rd&x"
REMOTE_PASSWORD = "Remote-Pa55word!"
S3_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
WEBHOOK_VALUE = "webhook-shared-value"
WEBHOOK_SECRET = "name=X-Auth,value=" + base64.b64encode(WEBHOOK_VALUE.encode()).decode()


def forms(secret):
    raw = secret.encode()
    return {
        secret,
        base64.b64encode(raw).decode(),
        base64.b64encode(raw).decode().rstrip("="),
        base64.urlsafe_b64encode(raw).decode().rstrip("="),
        urllib.parse.quote(secret, safe=""),
        urllib.parse.quote_plus(secret),
    }


def assert_nothing_leaks(exc, caplog, secrets):
    texts = [str(exc), repr(exc.args), str(exc.pbs_message), json.dumps(exc.errors)]
    texts += [record.getMessage() for record in caplog.records]
    for secret in secrets:
        for form in forms(secret):
            for text in texts:
                assert form not in text, f"{form!r} leaked into {text!r}"


@pytest.fixture
def debug_logs(caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("urllib3", "urllib3.connectionpool", "requests", "saltext"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def echoes(status_line, encode=lambda body: body):
    """A handler answering ``status_line`` with a plain-text body that quotes the request."""

    def handler(server, sock):
        sock = server.tls(sock)
        server.read_request(sock)
        quoted = encode(server.bodies[-1])
        body = b"parameter verification failed - 'password': value '" + quoted + b"' is bad"
        sock.sendall(answer(status_line, ["Content-Type: text/plain"], body))

    return handler


BODY = {
    "password": REMOTE_PASSWORD,
    "comment": "site b",
    "tuning": {"secret-key": S3_SECRET},
    "secret": [WEBHOOK_SECRET],
}
SECRETS = [REMOTE_PASSWORD, S3_SECRET, WEBHOOK_SECRET, WEBHOOK_VALUE, TOKEN_SECRET]


@pytest.mark.parametrize(
    "encode",
    [
        lambda body: body,
        lambda body: base64.b64encode(json.loads(body)["password"].encode()),
        lambda body: urllib.parse.quote(body).encode(),
    ],
    ids=["plain", "base64", "percent"],
)
def test_a_400_that_echoes_the_body_shows_no_secret(server, tls_files, debug_logs, encode):
    server.handler = echoes("400 Bad Request", encode)
    cli = make_client(server, tls_files)
    with pytest.raises(errors.PbsBadRequestError) as excinfo:
        cli.put("/config/remote/site-b", BODY)
    assert REMOTE_PASSWORD.encode() in server.bodies[0]  # the secret did travel
    assert_nothing_leaks(excinfo.value, debug_logs, SECRETS)
    assert "***" in str(excinfo.value)
    assert str(excinfo.value).endswith("(PUT /config/remote/site-b)")


def test_a_refused_login_that_echoes_the_form_shows_no_password(server, tls_files, debug_logs):
    server.handler = echoes("401 Unauthorized")
    cli = make_client(server, tls_files, token_id=None, token_secret=None,
                      username="root@pam", password=PASSWORD)
    with pytest.raises(errors.PbsAuthenticationError) as excinfo:
        cli.get("/version")
    assert urllib.parse.quote_plus(PASSWORD).encode() in server.bodies[0]
    assert_nothing_leaks(excinfo.value, debug_logs, [PASSWORD])
    assert "check username and password" in str(excinfo.value)


def test_a_login_answered_by_a_gateway_echo_shows_no_password(server, tls_files, debug_logs):
    server.handler = echoes(
        "400 Bad Request",
        lambda body: base64.b64encode(urllib.parse.parse_qs(body.decode())["password"][0].encode()),
    )
    cli = make_client(server, tls_files, token_id=None, token_secret=None,
                      username="root@pam", password=PASSWORD)
    with pytest.raises(errors.PbsError) as excinfo:
        cli.get("/version")
    assert_nothing_leaks(excinfo.value, debug_logs, [PASSWORD])


@pytest.mark.parametrize("auth", ["token", "ticket"])
def test_a_timeout_shows_no_secret(server, tls_files, debug_logs, auth):
    def hangs(srv, sock):
        sock = srv.tls(sock)
        srv.read_request(sock)
        srv.hang()

    server.handler = hangs
    if auth == "token":
        cli = make_client(server, tls_files, timeout=0.3)
    else:
        cli = make_client(server, tls_files, timeout=0.3, token_id=None, token_secret=None,
                          username="root@pam", password=PASSWORD)
    cli.read_attempts = 1
    with pytest.raises(errors.PbsConnectionError) as excinfo:
        cli.put("/config/remote/site-b", BODY)
    assert_nothing_leaks(excinfo.value, debug_logs, SECRETS + [PASSWORD])


def test_redact_covers_encoded_forms_and_keeps_the_rest():
    text = (
        f"bad {REMOTE_PASSWORD} and {base64.b64encode(REMOTE_PASSWORD.encode()).decode()} "
        f"and {urllib.parse.quote_plus(PASSWORD)} for remote site-b"
    )
    redacted = errors.redact(text, [REMOTE_PASSWORD, PASSWORD])
    assert redacted == "bad *** and *** and *** for remote site-b"
    assert errors.redact("value 'abc' ok", ["abc"]) == "value 'abc' ok"  # too short to hunt


def test_secret_values_finds_nested_secret_fields_only():
    found = errors.secret_values(
        {"name": "site-b", "password": "p4ss", "tuning": {"secret-key": "s3cr"}, "port": 8007,
         "secret": ["name=a,value=YWJjZA=="], "comment": "hello", "verify": True},
        extra=(None, "tok-secret"),
    )
    assert sorted(found) == sorted(["tok-secret", "p4ss", "s3cr", "name=a,value=YWJjZA=="])
