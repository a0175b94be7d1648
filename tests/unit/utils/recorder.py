"""A recording stand-in for ``PbsClient`` for unit tests of kinds and flows."""

from saltext.pbs.utils.client import PbsClient
from saltext.pbs.utils.errors import PbsNotFoundError


class Resp:
    def __init__(self, data=None, digest=None):
        self.data, self.digest = data, digest


class Recorder:
    """Records requests; answers GETs from ``answers`` ({path: data}, missing -> not found)."""

    url = "https://pbs.example:8007"
    path = staticmethod(PbsClient.path)
    task_timeout = PbsClient.task_timeout
    task_wait_limit = PbsClient.task_wait_limit  # the real rule: a state's task_timeout
    task_result = PbsClient.task_result  # the real rule: the UPID unless told to wait
    start_task = PbsClient.start_task
    node = "localhost"

    def __init__(self, answers=None, username="root@pam", token_id=None, password="pw"):
        self.answers = dict(answers or {})
        self.requests = []
        self.username, self.token_id = username, token_id
        self.auth_id = token_id or username
        self.conf = {"password": password}

    def request(self, method, path, params=None, data=None):
        self.requests.append((method, path, params if method in ("GET", "DELETE") else data))
        if method == "GET":
            if path not in self.answers:
                raise PbsNotFoundError(f"no such thing {path}")
            return Resp(self.answers[path], "d" * 64)
        if method == "POST" and "/token/" in path:
            return Resp({"tokenid": "x", "value": "the-secret-value"})
        return Resp(None)

    # the verbs are the client's own: each is one call of request()
    get, post, put, delete = PbsClient.get, PbsClient.post, PbsClient.put, PbsClient.delete
    get_list, get_object = PbsClient.get_list, PbsClient.get_object
