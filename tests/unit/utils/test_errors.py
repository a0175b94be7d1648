"""Mapping of PBS error answers (status + plain-text body) to exceptions."""

import pytest
from salt.exceptions import CommandExecutionError

from saltext.pbs.utils import errors as e


@pytest.mark.parametrize(
    "status,body,cls",
    [
        (401, "authentication failed", e.PbsAuthenticationError),
        (401, "permission check failed.", e.PbsAuthenticationError),
        (403, "permission check failed", e.PbsPermissionError),
        (400, "permission check failed", e.PbsPermissionError),
        (400, "missing permissions 'Datastore.Modify' on '/datastore/store1'", e.PbsPermissionError),
        (
            403,
            "permission check failed - missing Datastore.Modify on /datastore/s1/a",
            e.PbsPermissionError,
        ),
        (400, "task access not allowed", e.PbsPermissionError),
        (404, "Path '/api2/json/nope' not found.", e.PbsNotFoundError),
        (400, "no such datastore 'zzz'", e.PbsNotFoundError),
        (400, "no such token 'a@pbs!t'", e.PbsNotFoundError),
        (404, "datastore 'zzz' does not exist.", e.PbsNotFoundError),
        (400, "user 'x@pbs' does not exist.", e.PbsNotFoundError),
        (400, "name 'influx1' does not exist.", e.PbsNotFoundError),
        (404, "endpoint 'mail2' not found", e.PbsNotFoundError),
        (
            400,
            "cannot create new namespace, parent a/b doesn't already exists",
            e.PbsNotFoundError,
        ),
        (
            400,
            "detected modified configuration - file changed by other user? Try again.",
            e.PbsConflictError,
        ),
        (
            400,
            "parameter verification failed - 'name': datastore 'store1' already exists.",
            e.PbsAlreadyExistsError,
        ),
        (
            400,
            "Cannot create 'mail2', an entity with the same name already exists",
            e.PbsAlreadyExistsError,
        ),
        (400, "user 'x@pbs' already exists.", e.PbsAlreadyExistsError),
        (400, "metric server 'influx1' already exists.", e.PbsAlreadyExistsError),
        (
            400,
            "parameter verification failed - 'gc-schedule': unable to parse calendar event",
            e.PbsBadRequestError,
        ),
        (400, "datastore 'store1' is not mounted", e.PbsBadRequestError),
        (414, "", e.PbsBadRequestError),
        (500, "internal error", e.PbsServerError),
        (501, "not simulated: GET /tape/drive", e.PbsServerError),
        (503, "", e.PbsGatewayError),
    ],
)
def test_classification(status, body, cls):
    err = e.from_response(status, body, "GET", "/some/path")
    assert type(err) is cls  # pylint: disable=unidiomatic-typecheck
    assert isinstance(err, e.PbsError)
    assert isinstance(err, CommandExecutionError)
    assert err.status == status
    assert err.method == "GET" and err.path == "/some/path"
    assert err.pbs_message == (body or None)


@pytest.mark.parametrize(
    "status,body,expected",
    [
        (
            502,
            "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
            "PBS gateway failed: HTTP 502 Bad Gateway with an HTML error page; PBS or the way"
            " to it is down (POST /access/ticket)",
        ),
        (
            503,
            "",
            "PBS gateway failed: HTTP 503 Service Unavailable with an empty body; PBS or the"
            " way to it is down (POST /access/ticket)",
        ),
        (
            504,
            "upstream timed out",
            "PBS gateway failed: HTTP 504 Gateway Timeout: upstream timed out; PBS or the way"
            " to it is down (POST /access/ticket)",
        ),
        (
            404,
            "<!DOCTYPE html><html><body>Not Found</body></html>",
            "PBS gateway failed: HTTP 404 Not Found with an HTML error page; something other"
            " than PBS answered, check that 'url' points at PBS (POST /access/ticket)",
        ),
    ],
)
def test_gateway_answers_are_gateway_errors_not_credentials_or_objects(status, body, expected):
    err = e.from_response(status, body, "POST", "/access/ticket", hint="check password")
    assert type(err) is e.PbsGatewayError  # pylint: disable=unidiomatic-typecheck
    assert isinstance(err, e.PbsServerError)
    assert str(err) == expected
    assert err.status == status and err.pbs_message is None and err.errors == {}


def test_html_401_stays_an_authentication_problem():
    err = e.from_response(401, "<html>401</html>", "POST", "/access/ticket", hint="check password")
    assert type(err) is e.PbsAuthenticationError  # pylint: disable=unidiomatic-typecheck
    assert str(err).endswith("; check password (POST /access/ticket)")


def test_single_parameter_error_message_and_errors():
    err = e.from_response(
        400,
        b"parameter verification failed - 'gc-schedule': unable to parse calendar event",
        "PUT",
        "/config/datastore/store1",
    )
    assert str(err) == (
        "PBS rejected the request: parameter 'gc-schedule': unable to parse calendar event "
        "(PUT /config/datastore/store1)"
    )
    assert err.errors == {"gc-schedule": "unable to parse calendar event"}


def test_several_parameter_errors():
    body = (
        "parameter verification failed:\n"
        "- 'delete/[0]': value 'path' is not defined in the enumeration.\n"
        "- 'verify-new': Expected boolean value.\n"
    )
    err = e.from_response(400, body, "PUT", "/config/datastore/store1")
    assert isinstance(err, e.PbsBadRequestError)
    assert err.errors == {
        "delete/[0]": "value 'path' is not defined in the enumeration.",
        "verify-new": "Expected boolean value.",
    }
    assert "\n" not in str(err)
    assert str(err).startswith(
        "PBS rejected the request: parameter 'delete/[0]': value 'path' is not defined"
    )
    assert str(err).endswith("(PUT /config/datastore/store1)")


def test_already_exists_keeps_parameter_errors():
    err = e.from_response(
        400,
        "parameter verification failed - 'name': datastore 'store1' already exists.",
        "POST",
        "/config/datastore",
    )
    assert isinstance(err, e.PbsAlreadyExistsError)
    assert err.errors == {"name": "datastore 'store1' already exists."}
    assert str(err) == (
        "PBS object already exists: parameter 'name': datastore 'store1' already exists. "
        "(POST /config/datastore)"
    )


def test_messages_name_the_cause_on_one_line():
    err = e.from_response(404, "datastore 'zzz' does not exist.", "DELETE", "/config/datastore/zzz")
    assert str(err) == (
        "PBS object not found: datastore 'zzz' does not exist. (DELETE /config/datastore/zzz)"
    )
    err = e.from_response(502, "<html>\n<body>Bad Gateway</body>\n</html>", "GET", "/version")
    assert str(err) == (
        "PBS gateway failed: HTTP 502 Bad Gateway with an HTML error page; PBS or the way"
        " to it is down (GET /version)"
    )
    assert isinstance(err, e.PbsServerError) and err.status == 502
    err = e.from_response(500, "", "GET", "/version")
    assert str(err) == "PBS server error: HTTP 500 with an empty body (GET /version)"


def test_hint_and_long_body_is_cut():
    err = e.from_response(401, "authentication failed", "GET", "/version", hint="check token_id")
    assert str(err) == "PBS authentication failed: authentication failed; check token_id (GET /version)"
    err = e.from_response(400, "x" * 5000, "GET", "/p")
    assert len(str(err)) < 500 and "..." in str(err)


def test_parse_parameter_errors_ignores_other_texts():
    assert e.parse_parameter_errors("no such datastore 'x'") == {}
    assert e.parse_parameter_errors(None) == {}


def test_multi_line_parameter_message_continues():
    text = "parameter verification failed:\n- 'tuning': bad value\n  more detail\n- 'x': y"
    assert e.parse_parameter_errors(text) == {"tuning": "bad value more detail", "x": "y"}


def test_task_and_timeout_error_attributes():
    err = e.PbsTaskError("failed", upid="UPID:x", exitstatus="boom", log_tail=["a", "b"])
    assert (err.upid, err.exitstatus, err.log_tail) == ("UPID:x", "boom", ["a", "b"])
    assert err.status is None and err.errors == {}
    assert e.PbsTimeoutError("late", upid="UPID:y").upid == "UPID:y"
    assert e.PbsConnectionError("down").reason == "unreachable"
