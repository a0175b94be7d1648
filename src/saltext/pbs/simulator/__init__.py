"""A fake Proxmox Backup Server 4 for tests and demos.

The simulator is an independent implementation of PBS's REST API behaviour. It never
imports the client side of saltext-pbs.
"""

__all__ = ["Simulator"]


def __getattr__(name):
    # Imported lazily so that loading the pytest plugin (registered for every pytest run)
    # stays cheap and cannot fail because of the simulator's own imports.
    if name == "Simulator":
        from saltext.pbs.simulator.core import Simulator  # pylint: disable=import-outside-toplevel

        return Simulator
    raise AttributeError(name)
