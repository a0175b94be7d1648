"""The admin side-channel: ``/_sim/...`` paths a real PBS does not have.

Lets a test (or a person) that runs the simulator as a separate process set faults, move
the clock and inspect or reset the state. Every request must carry the header
``X-Sim-Admin: <the simulator's password>``; bodies are JSON; answers are
``{"data": ...}`` or a plain-text error.

========================  =====================================================
``POST /_sim/faults``      ``{"fault": NAME, ...arguments}`` (see :mod:`faults`)
``GET /_sim/faults``       the faults waiting to fire
``POST /_sim/faults/clear``  remove every fault
``POST /_sim/clock/advance``  ``{"seconds": N}``; answers ``{"now": epoch}``
``GET /_sim/state``        the whole state (as saved in a state file)
``POST /_sim/reset``       fresh state, no faults
``GET /_sim/requests``     the unmasked request exchanges
``POST /_sim/token``       ``{"userid": U, "tokenname": T}``; answers the secret
``POST /_sim/acl``         ``{"path": P, "auth_id": A, "role": R, "propagate": true}``
``POST /_sim/backups``     ``{"store": S, "days": D, "per_day": N, ...}``: seed a backup
                           history (:func:`saltext.pbs.simulator.backups.seed`)
========================  =====================================================
"""

import hmac
import json

from saltext.pbs.simulator import server


class Admin:
    def __init__(self, sim):
        self.sim = sim

    def handle(self, method, segments, headers, body_bytes):
        given = headers.get("X-Sim-Admin") or ""
        if not hmac.compare_digest(given.encode("utf-8"), self.sim.password.encode("utf-8")):
            return server.Response(401, "admin authentication failed", logged=None)
        try:
            body = json.loads(body_bytes.decode("utf-8")) if body_bytes.strip() else {}
            if not isinstance(body, dict):
                raise ValueError("the body must be a JSON object")
            route = (method, "/".join(segments))
            action = self._routes().get(route)
            if action is None:
                return server.Response(404, f"no admin action {method} /_sim/{route[1]}")
            data = action(body)
        except (ValueError, TypeError, KeyError) as exc:
            return server.Response(400, f"{type(exc).__name__}: {exc}")
        return server.Response(200, json.dumps({"data": data}), server.JSON_TYPE)

    def _routes(self):
        return {
            ("POST", "faults"): self._set_fault,
            ("GET", "faults"): lambda body: self.sim.faults.active(),
            ("POST", "faults/clear"): lambda body: self.sim.faults.clear(),
            ("POST", "clock/advance"): self._advance,
            ("GET", "state"): self._state,
            ("POST", "reset"): lambda body: self.sim.reset(),
            ("GET", "requests"): lambda body: self.sim.exchanges(),
            ("POST", "token"): lambda body: self.sim.create_token(
                body["userid"], body["tokenname"]
            ),
            ("POST", "backups"): lambda body: self.sim.seed_backups(**body),
            ("POST", "acl"): lambda body: self.sim.add_acl(
                body["path"], body["auth_id"], body["role"], bool(body.get("propagate", True))
            ),
        }

    def _set_fault(self, body):
        body = dict(body)
        fault = body.pop("fault", None)
        if not fault:
            raise ValueError("missing 'fault'")
        self.sim.faults.apply(fault, **body)

    def _advance(self, body):
        seconds = body.get("seconds")
        if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or seconds < 0:
            raise ValueError("'seconds' must be a non-negative number")
        with self.sim.lock:
            self.sim.clock.advance(seconds)
            self.sim.tasks_tick()
        return {"now": self.sim.clock.now()}

    def _state(self, body):  # pylint: disable=unused-argument
        with self.sim.lock:
            return self.sim.state.to_dict()
