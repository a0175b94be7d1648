"""
Work with the tape media inventory of Proxmox Backup Server (``/tape/media``): list media
and media sets, see what a medium holds, mark media retired or damaged, record that a
medium went to a vault, and remove media from the inventory.

Media are named by their label (``label_text``, the barcode) or their ``uuid``; give one.

Every function takes ``profile``: the name of a connection profile under ``pbs:profiles``,
or a dict of connection settings.
"""

from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import client as pbs_client
from saltext.pbs.utils import tape_ops

__virtualname__ = "pbs_tape_media"
__func_alias__ = {"list_": "list"}

#: the states a medium can be given (PBS refuses ``writable`` and ``unknown``)
SETTABLE_STATUS = ("full", "damaged", "retired")
STATUSES = ("writable", "full", "unknown", "damaged", "retired")


def __virtual__():
    return __virtualname__


def _client(profile):
    return pbs_client.get_client(__opts__, __context__, __salt__["config.get"], profile)


def _one_media(label_text, uuid):
    """The request fields naming one medium; exactly one of them."""
    if (label_text is None) == (uuid is None):
        raise SaltInvocationError("Name the medium: give either 'label_text' or 'uuid'")
    if uuid is not None:
        return {"uuid": tape_ops.media_uuid(uuid)}
    return {"label-text": tape_ops.label(label_text)}


def _uuid_of(client, label_text, uuid):
    if uuid is not None:
        return tape_ops.media_uuid(uuid)
    wanted = tape_ops.label(label_text)
    for media in client.get("/tape/media/list", params={"update-status": False}).data or []:
        if media.get("label-text") == wanted:
            return media["uuid"]
    raise SaltInvocationError(f"Invalid value for 'label_text': no medium '{wanted}' is known")


def list_(pool=None, status=None, update_status=None, profile=None):
    """
    List the media of the inventory the caller may see (``uuid``, ``label-text``,
    ``pool``, ``status``, ``location`` such as ``online-<changer>``, ``vault-<vault>`` or
    ``offline``, ``media-set-uuid``, ``seq-nr``, ...). ``pool`` and ``status`` (one of
    ``writable``, ``full``, ``unknown``, ``damaged``, ``retired``, or a list) filter;
    ``update_status=False`` skips PBS's online check of the changers.

    Requires any authenticated user (lists the media of pools with ``Tape.Audit`` on
    ``/tape/pool/{pool}``; free media need it on ``/tape/pool``).

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_media.list pool=weekly status=writable
    """
    wanted = None
    if status is not None:
        wanted = [status] if isinstance(status, str) else list(status)
        bad = [s for s in wanted if s not in STATUSES]
        if bad:
            raise SaltInvocationError(
                f"Invalid value for 'status': {bad[0]!r} is not one of {', '.join(STATUSES)}"
            )
    params = tape_ops.body(pool=tape_ops.pool(pool),
                           update_status=tape_ops.flag(update_status, "update_status"))
    media = _client(profile).get("/tape/media/list", params=params).data or []
    return [m for m in media if wanted is None or m.get("status") in wanted]


def content(pool=None, label_text=None, media=None, media_set=None, backup_type=None,
            backup_id=None, profile=None):
    """
    List the snapshots written to tape (``snapshot``, ``store``, ``backup-time``,
    ``label-text``, ``media-set-uuid``, ...), filtered by ``pool``, ``label_text``, medium
    uuid ``media``, ``media_set`` uuid, ``backup_type`` (``vm``, ``ct``, ``host``) and
    ``backup_id``.

    Requires any authenticated user (lists the content of pools with ``Tape.Audit`` on
    ``/tape/pool/{pool}``).

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_media.content pool=weekly backup_type=vm backup_id=100
    """
    if backup_type is not None and backup_type not in ("vm", "ct", "host"):
        raise SaltInvocationError("Invalid value for 'backup_type': expected vm, ct or host")
    params = tape_ops.body(
        pool=tape_ops.pool(pool),
        label_text=None if label_text is None else tape_ops.label(label_text),
        media=None if media is None else tape_ops.media_uuid(media, "media"),
        media_set=None if media_set is None else tape_ops.media_uuid(media_set, "media_set"),
        backup_type=backup_type,
        backup_id=backup_id,
    )
    return _client(profile).get("/tape/media/content", params=params).data or []


def media_sets(pool=None, profile=None):
    """
    List the media sets (``media-set-uuid``, ``media-set-name``, ``media-set-ctime``,
    ``pool``), of ``pool`` only when given.

    Requires any authenticated user (lists the sets of pools with ``Tape.Audit`` on
    ``/tape/pool/{pool}``).

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_media.media_sets pool=weekly
    """
    wanted = tape_ops.pool(pool)
    sets = _client(profile).get("/tape/media/media-sets").data or []
    return [s for s in sets if wanted is None or s.get("pool") == wanted]


def status(label_text=None, uuid=None, profile=None):
    """
    Return the status of one medium (``writable``, ``full``, ``unknown``, ``damaged`` or
    ``retired``).

    Requires ``root@pam`` (PBS declares no privilege for reading one medium's status).

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_media.status TAPE01L9
    """
    client = _client(profile)
    _one_media(label_text, uuid)
    media_uuid = _uuid_of(client, label_text, uuid)
    return client.get(client.path("/tape/media/list/{uuid}/status", uuid=media_uuid)).data


def set_status(label_text=None, status=None, uuid=None, profile=None):
    """
    Set the status of one medium to ``full``, ``damaged`` or ``retired``; ``status=None``
    clears it (PBS then derives it again). PBS manages ``writable`` and ``unknown`` itself.

    Requires ``Tape.Modify`` on ``/tape``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_media.set_status TAPE04L9 status=retired
    """
    if status is not None and status not in SETTABLE_STATUS:
        raise SaltInvocationError(
            f"Invalid value for 'status': {status!r}; one of {', '.join(SETTABLE_STATUS)}"
            " or None (PBS manages writable and unknown)"
        )
    client = _client(profile)
    _one_media(label_text, uuid)
    media_uuid = _uuid_of(client, label_text, uuid)
    client.post(client.path("/tape/media/list/{uuid}/status", uuid=media_uuid),
                data=tape_ops.body(status=status))
    return True


def move(label_text=None, vault=None, uuid=None, profile=None):
    """
    Record that a medium is now in vault ``vault`` or, without ``vault``, offline. (A
    medium found in a changer again is online whatever was recorded.)

    Requires ``Tape.Modify`` on ``/tape``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_media.move TAPE01L9 vault=bank-safe
    """
    data = _one_media(label_text, uuid)
    if vault is not None:
        data["vault-name"] = tape_ops.safe_id(vault, "vault", 3)
    _client(profile).post("/tape/media/move", data=data)
    return True


def destroy(label_text=None, uuid=None, force=False, profile=None):
    """
    Remove one medium from the inventory (the tape itself is not touched). The medium must
    be named; PBS refuses one that belongs to a media set unless ``force=True``.

    Requires ``Tape.Write`` on ``/tape``.

    CLI Example:

    .. code-block:: bash

        salt-call pbs_tape_media.destroy TAPE07L9
    """
    params = _one_media(label_text, uuid)
    if tape_ops.flag(force, "force"):
        params["force"] = True
    # PBS destroys with a GET (src/api2/tape/media.rs destroy_media)
    _client(profile).get("/tape/media/destroy", params=params)
    return True
