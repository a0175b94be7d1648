"""The contract checker itself, on hand-made exchanges: it accepts what PBS accepts and
names the method, path, field and reason of everything else."""

import pytest

from tests.support import contract

DS = "/api2/json/config/datastore"
UPID = "UPID:pbs1:000004D2:0001E240:0000002A:6650A1B2:create-datastore:store1:root@pam:"


def req(method, path, body=None, query=(), content_type=None):
    if content_type is None and method in ("POST", "PUT"):
        content_type = "application/json"
    return {
        "method": method,
        "path": path,
        "query": [list(p) for p in query],
        "body": body,
        "content_type": content_type,
    }


def resp(method, path, response, status=200, body=None):
    return {**req(method, path, body), "status": status, "response": response}


def problems(exchange):
    found, _ = contract.check_exchange(exchange)
    return found


def one(exchange, *fragments):
    found = problems(exchange)
    assert len(found) == 1, found
    for fragment in fragments:
        assert fragment in found[0], found[0]
    return found[0]


# ---- conforming exchanges ------------------------------------------------------------------
@pytest.mark.parametrize(
    "exchange",
    [
        req("POST", DS, {"name": "store1", "path": "/mnt/s1", "gc-schedule": "daily"}),
        req("POST", DS, {"name": "store1", "path": "/mnt/s1", "tuning": "chunk-order=none"}),
        req("PUT", DS + "/store1", {"comment": "hi", "delete": ["gc-schedule", "tuning"]}),
        req("PUT", DS + "/store1", {"verify-new": True, "digest": "a" * 64}),
        req("DELETE", DS + "/store1", query=[("destroy-data", "1"), ("digest", "b" * 64)]),
        req("GET", "/api2/json/nodes/localhost/tasks", query=[("limit", "5"), ("running", "true")]),
        req("GET", f"/api2/json/nodes/localhost/tasks/{UPID.replace(':', '%3A')}/status"),
        req("GET", "/api2/json/config/sync", query=[("sync-direction", "all")]),
        req(
            "POST",
            "/api2/json/access/ticket",
            {"username": ["root@pam"], "password": ["s3cret"]},
            content_type="application/x-www-form-urlencoded",
        ),
        req("PUT", DS + "/store1", {"delete": ["comment", "tuning"]}, content_type=""),
        resp("GET", DS, {"data": [{"name": "store1", "path": "/mnt/s1"}], "digest": "c" * 64}),
        resp("GET", DS + "/store1", {"data": {"name": "store1", "path": "/x", "verify-new": True}}),
        resp("POST", DS, {"data": UPID}, body={"name": "store1", "path": "/mnt/s1"}),
        resp("PUT", DS + "/store1", {"data": None}),
        resp(
            "POST",
            "/api2/json/access/ticket",
            {
                "data": {"username": "root@pam", "ticket": "PBS:x", "CSRFPreventionToken": "y"},
                "status": 200,
                "success": True,
            },
            body={"username": "root@pam", "password": "s3cret"},
        ),
        resp(
            "GET",
            f"/api2/json/nodes/localhost/tasks/{UPID}/log",
            {"data": [{"n": 1, "t": "TASK OK"}], "total": 1, "success": 1},
        ),
        resp(
            "GET",
            f"/api2/json/nodes/localhost/tasks/{UPID}/status",
            {
                "data": {
                    "upid": UPID,
                    "node": "pbs1",
                    "pid": 1234,
                    "pstart": 123456,
                    "starttime": 1716560306,
                    "type": "create-datastore",
                    "id": None,
                    "user": "root@pam",
                    "status": "stopped",
                    "exitstatus": "OK",
                    "endtime": 1716560310,
                }
            },
        ),
        # out of scope: extjs, the simulator's side channel, error bodies are not judged
        resp("GET", "/api2/extjs/config/datastore", {"data": [{"bogus": 1}], "success": 1}),
        req("POST", "/_sim/faults", {"fault": "reset"}),
        resp("GET", DS + "/nope", "datastore 'nope' does not exist", status=400),
    ],
)
def test_conforming(exchange):
    assert problems(exchange) == []


# ---- requests ------------------------------------------------------------------------------
def test_unknown_path_and_method():
    one(
        req("GET", "/api2/json/config/no-such-thing"),
        "GET /api2/json/config/no-such-thing",
        "path not in the schema",
    )
    one(req("PATCH", DS + "/store1"), "PATCH", "method not in the schema", "PUT")


def test_wrong_json_type():
    one(
        req("PUT", DS + "/store1", {"verify-new": 1}),
        "PUT /api2/json/config/datastore/store1",
        "'verify-new'",
        "expected a boolean",
    )
    one(req("PUT", DS + "/store1", {"keep-last": "5"}), "'keep-last'", "expected integer")


def test_null_is_not_absent():
    one(req("PUT", DS + "/store1", {"comment": None}), "'comment'", "null")


def test_wrong_form_type():
    one(
        req("DELETE", DS + "/store1", query=[("destroy-data", "maybe")]),
        "'destroy-data'",
        "not a boolean",
    )


def test_unknown_parameter():
    one(
        req("PUT", DS + "/store1", {"colour": "blue"}),
        "'colour' is not declared",
        "update_datastore",
    )
    one(req("GET", DS, query=[("colour", "blue")]), "'colour' is not declared")


def test_bad_enum():
    one(
        req("PUT", DS + "/store1", {"notification-mode": "pigeon"}),
        "'notification-mode'",
        "'pigeon' is not one of",
    )
    # a comma-joined delete list is one (invalid) item, as PBS reads it
    one(
        req("PUT", DS + "/store1", {"delete": "comment,tuning"}, content_type=""),
        "'delete'",
        "'comment,tuning' is not one of",
    )


def test_pattern_with_posix_class():
    one(req("PUT", DS + "/store1", {"comment": "line1\nline2"}), "'comment'", "does not match")
    one(req("POST", DS, {"name": "-bad", "path": "/x"}), "'name'", "does not match")


def test_lengths_and_ranges():
    one(req("PUT", DS + "/store1", {"comment": "x" * 129}), "'comment'", "above the maximum 128")
    one(req("PUT", DS + "/store1", {"keep-last": 0}), "'keep-last'", "not at least 1")
    one(
        req("GET", "/api2/json/config/datastore/ab"), "path parameter 'name'", "below the minimum 3"
    )


def test_missing_required():
    one(
        req("POST", DS, {"name": "store1"}),
        "POST /api2/json/config/datastore",
        "required parameter 'path' is missing",
    )


def test_property_string_sent_as_object():
    one(
        req("PUT", DS + "/store1", {"tuning": {"chunk-order": "none"}}),
        "'tuning'",
        "plain string on the wire",
    )


def test_query_lost_in_json_mode():
    one(req("GET", DS, query=[("prune", "1")], content_type="application/json"), "PBS ignores it")
    found = problems(req("PUT", DS + "/store1", {"comment": "x"}, query=[("digest", "a" * 64)]))
    assert any("query string sent with a JSON body" in p for p in found)


def test_duplicate_scalar_in_form():
    one(
        req("DELETE", DS + "/store1", query=[("digest", "a" * 64), ("digest", "b" * 64)]),
        "'digest'",
        "duplicate parameter",
    )


# ---- responses -----------------------------------------------------------------------------
def test_response_wrong_type():
    found = problems(
        resp("GET", DS + "/store1", {"data": {"name": "store1", "path": "/x", "verify-new": "1"}})
    )
    assert found == [
        "GET /api2/json/config/datastore/store1 -> 200: "
        "data.verify-new: expected a boolean, got '1'"
    ]


def test_response_missing_required_and_undeclared_key():
    found = problems(resp("GET", DS, {"data": [{"name": "store1", "shoe-size": 44}]}))
    assert any("data[0]: required property 'path' is missing" in p for p in found), found
    assert any("property 'shoe-size' is not declared" in p for p in found), found


def test_response_bad_enum_and_envelope():
    one(
        resp("GET", DS + "/s1x", {"data": {"name": "s1x", "path": "/x", "notification-mode": "x"}}),
        "notification-mode",
        "not one of",
    )
    one(resp("PUT", DS + "/store1", {"data": None, "changes": {}}), "envelope member 'changes'")
    one(resp("GET", DS, {"data": [], "digest": "XYZ"}), "digest")


def test_response_not_an_envelope():
    one(resp("GET", DS, [{"name": "store1"}]), "not a {'data': ...} envelope")


def test_response_property_string_as_object():
    one(
        resp(
            "GET", DS + "/store1", {"data": {"name": "store1", "path": "/x", "tuning": {"a": "b"}}}
        ),
        "data.tuning",
        "plain string",
    )


def test_task_log_lines():
    one(
        resp(
            "GET", f"/api2/json/nodes/localhost/tasks/{UPID}/log", {"data": ["TASK OK"], "total": 1}
        ),
        "data[0]",
        "expected an object",
    )


# ---- the schema and its translation --------------------------------------------------------
def test_posix_classes_translated():
    assert contract.translate_posix_classes("^[[:^cntrl:]]*$") == r"^[^\x00-\x1f\x7f]*$"
    assert contract.translate_posix_classes(r"^[^\s:/[:cntrl:]]+$") == r"^[^\s:/\x00-\x1f\x7f]+$"
    assert contract.translate_posix_classes("^[[:alnum:]]+$") == "^[A-Za-z0-9]+$"
    with pytest.raises(ValueError):
        contract.translate_posix_classes("[a[:^cntrl:]]")


def test_query_parameters_use_wire_names():
    names = {name for route in contract.schema().routes for name in route["params"]}
    assert "sync-direction" in names and "backup-type" in names
    assert not [name for name in names if "_" in name and name.replace("_", "-") in names]


def test_route_table_covers_the_schema():
    sch = contract.schema()
    assert len(sch.routes) == 367
    route, params = sch.route("GET", "/config/datastore/store1")
    assert route["operation"] == "ConfigDatastoreApi.get_config_datastore_by_name"
    assert params == {"name": "store1"}


def test_every_quirk_has_a_reason():
    assert all(len(reason) > 40 for reason in contract.QUIRKS.values())
