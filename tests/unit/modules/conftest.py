"""Unit tests of the execution modules: each module imported directly, its dunders injected
(pytest-salt-factories' ``configure_loader_modules``), no simulator and no network.

``pbs``: a recording stand-in for the PBS client the modules get from
``saltext.pbs.utils.client.get_client``. It answers every request with the data set for
``(method, path)`` in ``pbs.answers`` (``None`` otherwise) and records each request as
``(method, path, params or data)`` in ``pbs.requests``, so a test can tell what was sent,
or that nothing was. ``pbs.profiles`` holds the ``profile`` argument of each client asked
for.

``module_dunders``: the dunders of an execution module (``__opts__``, ``__context__``,
``__salt__`` with ``config.get``, ``__utils__``). pytest-salt-factories injects them only
for a ``configure_loader_modules`` fixture defined in the test module itself, so each test
module has one returning ``{module: module_dunders}``.
"""

import pytest

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils.client import PbsClient
from saltext.pbs.utils.client import PbsResponse


class RecordingClient:
    url = "https://pbs.example.com:8007"
    path = staticmethod(PbsClient.path)
    task_timeout = PbsClient.task_timeout
    task_wait_limit = PbsClient.task_wait_limit  # the real rule: a state's task_timeout

    def __init__(self):
        self.answers = {}
        self.requests = []
        self.profiles = []

    @property
    def writes(self):
        return [r for r in self.requests if r[0] != "GET"]

    def request(self, method, path, params=None, data=None, **_):
        self.requests.append((method, path, data if data is not None else params))
        return PbsResponse(data=self.answers.get((method, path)), digest=None, total=None,
                           status=200)

    # the verbs are the client's own: each is one call of request()
    get, post, put, delete = PbsClient.get, PbsClient.post, PbsClient.put, PbsClient.delete
    get_list, get_object = PbsClient.get_list, PbsClient.get_object

    def get_or_none(self, path, params=None):
        return self.get(path, params=params)


@pytest.fixture
def pbs(monkeypatch):
    fake = RecordingClient()

    def get_client(opts, context, config_get, profile=None):  # pylint: disable=unused-argument
        fake.profiles.append(profile)
        return fake

    monkeypatch.setattr(pbs_client, "get_client", get_client)
    return fake


@pytest.fixture
def module_dunders(minion_opts):
    return {
        "__opts__": minion_opts,
        "__context__": {},
        "__salt__": {"config.get": lambda *a, **k: {}},
        "__utils__": {},
    }
