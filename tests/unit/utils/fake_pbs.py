"""A small in-memory stand-in for ``PbsClient`` used by the engine's unit tests.

It keeps objects per collection path, computes one digest per collection (like PBS's
per-file digest), checks digests on PUT/DELETE, applies ``delete`` lists before sets, and
records every request so tests can count reads and writes.
"""

import hashlib
import json

from saltext.pbs.utils.client import PbsClient
from saltext.pbs.utils.errors import PbsConflictError
from saltext.pbs.utils.errors import PbsNotFoundError
from saltext.pbs.utils.errors import PbsPermissionError


class FakeResponse:
    def __init__(self, data=None, digest=None):
        self.data = data
        self.digest = digest


class FakeClient:
    url = "https://pbs.example:8007"
    path = staticmethod(PbsClient.path)
    task_timeout = PbsClient.task_timeout
    task_wait_limit = PbsClient.task_wait_limit  # the real rule: a state's task_timeout

    def __init__(
        self,
        collections=("/config/datastore", "/config/thing"),
        id_keys=None,
        async_collections=("/config/datastore",),
    ):
        self.store = {c: {} for c in collections}  # collection path -> {id: object}
        self.id_keys = dict(id_keys or {})
        self.async_collections = set(async_collections)
        self.requests = []
        self.tasks = []
        self.conflicts = 0  # the next N writes fail with a digest conflict
        self.list_hides = set()  # ids a list leaves out (privilege filtering)
        self.list_refused = set()  # collections whose list answers 403 (items still readable)

    # ----- helpers for tests -------------------------------------------------------------
    def add(self, collection, obj):
        key = self.id_keys.get(collection, "name")
        self.store.setdefault(collection, {})[obj[key]] = dict(obj)

    def obj(self, collection, ident):
        return self.store.get(collection, {}).get(ident)

    @property
    def writes(self):
        return [r for r in self.requests if r[0] != "GET"]

    def count(self, method, path=None):
        return sum(1 for r in self.requests if r[0] == method and (path is None or r[1] == path))

    def digest(self, collection):
        text = json.dumps(self.store.get(collection, {}), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    def _split(self, path):
        collection, _, ident = path.rpartition("/")
        if collection in self.store:
            return collection, ident
        return None, None

    def _check_digest(self, collection, digest):
        if self.conflicts:
            self.conflicts -= 1
            raise PbsConflictError("PBS configuration was changed concurrently (digest mismatch)")
        if digest is not None and digest != self.digest(collection):
            raise PbsConflictError("PBS configuration was changed concurrently (digest mismatch)")

    # ----- client interface --------------------------------------------------------------
    def request(self, method, path, params=None, data=None):
        if method in ("GET", "DELETE"):
            return getattr(self, method.lower())(path, params)
        return getattr(self, method.lower())(path, data)

    def get(self, path, params=None):
        self.requests.append(("GET", path, params, None))
        if path in self.list_refused:
            raise PbsPermissionError(f"permission check failed: GET {path}")
        if path in self.store:
            items = [
                dict(o) for i, o in self.store.get(path, {}).items() if i not in self.list_hides
            ]
            return FakeResponse(items, self.digest(path))
        collection, ident = self._split(path)
        obj = self.obj(collection, ident) if collection else None
        if obj is None:
            raise PbsNotFoundError(f"PBS object not found: no such object '{ident}'")
        return FakeResponse(dict(obj), self.digest(collection))

    def post(self, path, data=None):
        self.requests.append(("POST", path, None, dict(data or {})))
        key = self.id_keys.get(path, "name")
        body = dict(data or {})
        self.store.setdefault(path, {})[body[key]] = body
        if path in self.async_collections:
            return FakeResponse(
                f"UPID:pbs:00000001:00000001:00000001:6650A1B2:create:{body[key]}:root@pam:"
            )
        return FakeResponse(None)

    def put(self, path, data=None):
        data = dict(data or {})
        self.requests.append(("PUT", path, None, dict(data)))
        collection, ident = self._split(path)
        obj = self.obj(collection, ident) if collection else None
        if obj is None:
            raise PbsNotFoundError(f"PBS object not found: no such object '{ident}'")
        self._check_digest(collection, data.pop("digest", None))
        for key in data.pop("delete", []):
            obj.pop(key, None)
        obj.update(data)
        return FakeResponse(None)

    def delete(self, path, params=None):
        params = dict(params or {})
        self.requests.append(("DELETE", path, dict(params), None))
        collection, ident = self._split(path)
        if self.obj(collection, ident) is None:
            raise PbsNotFoundError(f"PBS object not found: '{ident}' does not exist")
        self._check_digest(collection, params.get("digest"))
        del self.store[collection][ident]
        if collection in self.async_collections:
            return FakeResponse(
                f"UPID:pbs:00000001:00000001:00000002:6650A1B2:delete:{ident}:root@pam:"
            )
        return FakeResponse(None)

    def wait_task(self, upid, timeout=None, poll_interval=None):  # pylint: disable=unused-argument
        self.tasks.append(upid)
        return {"upid": upid, "status": "stopped", "exitstatus": "OK"}
