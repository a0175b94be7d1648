"""
Manage the tape drives of Proxmox Backup Server (``/config/drive``).

See :py:func:`saltext.pbs.states.pbs_tape_drive.present` for every property.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import docs
from saltext.pbs.utils import objects
from saltext.pbs.utils import tape_ops
from saltext.pbs.utils.flows import tape as tape_flows
from saltext.pbs.utils.kinds import tape

KIND = tape.DRIVE

__virtualname__ = "pbs_tape_drive"
__func_alias__ = {"list_": "list", "format_": "format"}


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def list_(profile=None):
    """
    List the tape drives the caller may see.

    {{privilege:list}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.list
    """
    return objects.list_objects(_client(profile), KIND)


def get(name, profile=None):
    """
    Return the configuration of tape drive ``name``, or ``None`` if it does not exist.

    {{privilege:get}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.get lto9-1
    """
    return objects.get_object(_client(profile), KIND, name)


def create(name, profile=None, **properties):
    """
    Create tape drive ``name``; ``path`` is required (a tape device of the host; see
    :py:func:`scan`). Returns the new configuration.

    {{privilege:create}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.create lto9-1 \\
            path=/dev/tape/by-id/scsi-10WT065325-sg changer=robot changer_drivenum=0
    """
    return objects.create_object(_client(profile), KIND, name, properties)


def update(name, profile=None, **properties):
    """
    Update tape drive ``name``; a property set to ``None`` is cleared. Returns the new
    configuration.

    {{privilege:update}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.update lto9-1 changer=None
    """
    return objects.update_object(_client(profile), KIND, name, properties)


def delete(name, profile=None):
    """
    Delete tape drive ``name``.

    {{privilege:delete}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.delete lto9-1
    """
    return objects.delete_object(_client(profile), KIND, name)


def scan(profile=None):
    """
    List the tape drives the PBS host has (``path``, ``serial``, ``vendor``, ``model``, ...),
    to find the ``path`` of a new drive.

    {{privilege:scan}}

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.scan
    """
    return tape_flows.scan(_client(profile), "drives")


# ----- operations (PBS src/api2/tape/drive.rs) ----------------------------------------------
# Task functions wait by default (``wait=True``, ``timeout`` seconds), logging the task log at
# info level, and return the final task status; with ``wait=False`` they return the UPID.


def _drive_get(name, suffix, profile, params=None):
    client = _client(profile)
    return client.get(tape_ops.drive_path(client, name, suffix), params=params).data


def _drive_task(name, method, action, data, wait, timeout, profile):
    return tape_ops.drive_task(_client(profile), name, method, action, data, wait, timeout)


def overview(changer=None, activity=False, profile=None):
    """
    List the configured tape drives with what PBS knows of each at run time: the drive's
    configuration, the device's ``vendor``, ``model`` and ``serial``, and ``state`` (the
    UPID of the task holding the drive) while one does. ``changer`` lists only that
    changer's drives; ``activity=True`` asks each drive for its ``activity`` (``reading``,
    ``writing``, ``no-activity``, ...).

    Requires ``Tape.Audit`` on ``/tape/drive/{name}`` to see a drive (PBS filters this
    list by that path, not by ``/tape/device/{name}``).

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.overview changer=robot activity=True
    """
    params = tape_ops.body(
        changer=None if changer is None else tape_ops.device(changer, "changer"),
        query_activity=tape_ops.flag(activity, "activity") or None,
    )
    return _client(profile).get("/tape/drive", params=params).data or []


def status(name, profile=None):
    """
    Return the status of tape drive ``name`` and its loaded medium (vendor, product,
    ``alert-flags``, ``write-protect``, ``density``, ``medium-wearout``, ...).

    Requires ``Tape.Audit`` on ``/tape/device/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.status lto9-1
    """
    return _drive_get(name, "/status", profile)


def read_label(name, inventorize=False, profile=None):
    """
    Read the media label of the cartridge in drive ``name`` (``label-text``, ``uuid``,
    ``pool``, ``media-set-uuid``, ``seq-nr``, ...). With ``inventorize=True`` PBS also adds
    the medium to its inventory. PBS fails with ``Media is empty (no label).`` for a new
    cartridge.

    Requires ``Tape.Read`` on ``/tape/device/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.read_label lto9-1 inventorize=True
    """
    params = tape_ops.body(inventorize=tape_ops.flag(inventorize, "inventorize") or None)
    return _drive_get(name, "/read-label", profile, params=params)


def cartridge_memory(name, profile=None):
    """
    Read the cartridge memory (MAM attributes: ``id``, ``name``, ``value``) of the medium in
    drive ``name``.

    Requires ``Tape.Audit`` on ``/tape/device/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.cartridge_memory lto9-1
    """
    return _drive_get(name, "/cartridge-memory", profile)


def volume_statistics(name, profile=None):
    """
    Read the volume statistics (mounts, bytes written, error counters, ...) of the medium
    in drive ``name``.

    Requires ``Tape.Audit`` on ``/tape/device/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.volume_statistics lto9-1
    """
    return _drive_get(name, "/volume-statistics", profile)


def label(name, label_text, pool=None, wait=True, timeout=None, profile=None):
    """
    Write media label ``label_text`` onto the (empty) cartridge in drive ``name`` and add
    it to ``pool`` (or to the free media). PBS refuses a cartridge that holds data ("format
    it first") and a label that another medium has. A PBS task.

    Requires ``Tape.Write`` on ``/tape/device/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.label lto9-1 TAPE01L9 pool=weekly
    """
    data = tape_ops.body(label_text=tape_ops.label(label_text), pool=tape_ops.pool(pool))
    return _drive_task(name, "POST", "label-media", data, wait, timeout, profile)


def barcode_label(name, pool=None, wait=True, timeout=None, profile=None):
    """
    Label every new cartridge of the drive's changer with its barcode (loading each in
    turn) and add them to ``pool`` (or to the free media). Cartridges already labelled and
    cleaning cartridges are skipped. A PBS task.

    Requires ``Tape.Write`` on ``/tape/device/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.barcode_label lto9-1 pool=weekly
    """
    data = tape_ops.body(pool=tape_ops.pool(pool))
    return _drive_task(name, "POST", "barcode-label-media", data, wait, timeout, profile)


def format_(name, label_text, fast=None, wait=True, timeout=None, profile=None):
    """
    Erase the cartridge labelled ``label_text`` in drive ``name`` (loading it first when
    the drive has a changer) and remove it from the inventory. The label must be named: PBS
    checks that the cartridge carries it and refuses otherwise. ``fast`` (PBS default
    ``True``) only writes an end-of-data mark. A PBS task.

    Requires ``Tape.Write`` on ``/tape/device/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.format lto9-1 TAPE03L9
    """
    data = tape_ops.body(label_text=tape_ops.label(label_text), fast=tape_ops.flag(fast, "fast"))
    return _drive_task(name, "POST", "format-media", data, wait, timeout, profile)


def load_media(name, label_text, wait=True, timeout=None, profile=None):
    """
    Load the cartridge labelled ``label_text`` into drive ``name`` through its changer.
    A PBS task.

    Requires ``Tape.Read`` on ``/tape/device/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.load_media lto9-1 TAPE01L9
    """
    data = tape_ops.body(label_text=tape_ops.label(label_text))
    return _drive_task(name, "POST", "load-media", data, wait, timeout, profile)


def load_slot(name, slot, profile=None):
    """
    Load the cartridge in changer slot ``slot`` into drive ``name`` (PBS answers when the
    cartridge is loaded; no task).

    Requires ``Tape.Read`` on ``/tape/device/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.load_slot lto9-1 3
    """
    client = _client(profile)
    data = {"source-slot": tape_ops.slot(slot, "slot")}
    client.post(tape_ops.drive_path(client, name, "/load-slot"), data=data)
    return True


def unload(name, slot=None, wait=True, timeout=None, profile=None):
    """
    Unload drive ``name`` into changer slot ``slot`` (default: the slot the cartridge came
    from). A PBS task.

    Requires ``Tape.Read`` on ``/tape/device/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.unload lto9-1 slot=5
    """
    data = tape_ops.body(target_slot=None if slot is None else tape_ops.slot(slot, "slot"))
    return _drive_task(name, "POST", "unload", data, wait, timeout, profile)


def eject(name, wait=True, timeout=None, profile=None):
    """
    Eject the cartridge of drive ``name`` (a changer drive puts it back into its slot).
    A PBS task.

    Requires ``Tape.Read`` on ``/tape/device/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.eject lto9-1
    """
    return _drive_task(name, "POST", "eject-media", None, wait, timeout, profile)


def rewind(name, wait=True, timeout=None, profile=None):
    """
    Rewind the cartridge in drive ``name``. A PBS task.

    Requires ``Tape.Read`` on ``/tape/device/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.rewind lto9-1
    """
    return _drive_task(name, "POST", "rewind", None, wait, timeout, profile)


def clean(name, wait=True, timeout=None, profile=None):
    """
    Clean drive ``name`` with a cleaning cartridge (barcode ``CLN...``) of its changer.
    A PBS task.

    Requires ``Tape.Read`` on ``/tape/device/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.clean lto9-1
    """
    return _drive_task(name, "PUT", "clean", None, wait, timeout, profile)


def export_media(name, label_text, profile=None):
    """
    Move the cartridge labelled ``label_text`` to a free import/export slot of the changer
    of drive ``name``; returns that slot number. PBS answers directly (no task).

    Requires ``Tape.Read`` on ``/tape/device/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.export_media lto9-1 TAPE01L9
    """
    client = _client(profile)
    data = {"label-text": tape_ops.label(label_text)}
    return client.put(tape_ops.drive_path(client, name, "/export-media"), data=data).data


def inventory(name, update=False, read_all_labels=None, catalog=None, wait=True, timeout=None,
              profile=None):
    """
    List the cartridges the changer of drive ``name`` holds (``label-text`` and, for
    known media, ``uuid``). With ``update=True`` PBS instead loads the cartridges it does
    not know yet (all of them with ``read_all_labels=True``), reads their labels into the
    inventory (and their catalogs with ``catalog=True``): a PBS task.

    Requires ``Tape.Read`` on ``/tape/device/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.inventory lto9-1
        salt-call pbs_tape_drive.inventory lto9-1 update=True read_all_labels=True
    """
    data = tape_ops.body(read_all_labels=tape_ops.flag(read_all_labels, "read_all_labels"),
                         catalog=tape_ops.flag(catalog, "catalog"))
    if not tape_ops.flag(update, "update"):
        if data:
            raise SaltInvocationError(
                "Invalid value for 'read_all_labels'/'catalog': they need update=True"
            )
        return _drive_get(name, "/inventory", profile)
    return _drive_task(name, "PUT", "inventory", data, wait, timeout, profile)


def catalog(name, force=None, scan=None, verbose=None, wait=True, timeout=None, profile=None):
    """
    Read the catalog of the cartridge in drive ``name`` into PBS's media catalog
    (``force=True`` replaces an existing one, ``scan=True`` re-reads the whole tape). A PBS
    task.

    Requires ``Tape.Read`` on ``/tape/device/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.catalog lto9-1 force=True
    """
    data = tape_ops.body(force=tape_ops.flag(force, "force"), scan=tape_ops.flag(scan, "scan"),
                         verbose=tape_ops.flag(verbose, "verbose"))
    return _drive_task(name, "POST", "catalog", data, wait, timeout, profile)


def restore_key(name, password, profile=None):
    """
    Restore the tape encryption key stored on the cartridge in drive ``name`` into the key
    configuration, decrypting it with ``password`` (never logged or returned).

    Requires ``Tape.Read`` on ``/tape/device/{name}``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_drive.restore_key lto9-1 password=secret-pass
    """
    if not isinstance(password, str) or len(password) < 5:
        raise SaltInvocationError(
            "Invalid value for 'password': the key password has at least 5 characters"
        )
    client = _client(profile)
    client.post(tape_ops.drive_path(client, name, "/restore-key"), data={"password": password})
    return True


docs.render(globals(), "tape_drive")
