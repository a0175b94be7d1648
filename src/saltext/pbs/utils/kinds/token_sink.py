"""
Where the secret of a PBS API token goes.

PBS reveals a token's secret exactly once (when the token is created or regenerated), so
the states and functions that create tokens never return it: they hand it to a *sink*
named by the user and report only where it went.

``secret_file``
    A path on the minion. The file is (re)written atomically with mode 0600 and holds one
    line ``TOKENID:SECRET`` (the full token id, then the secret). Missing parent
    directories are created with mode 0700.
``secret_sdb``
    An ``sdb://<profile>/<key>`` URI; the secret alone is stored with Salt's
    ``sdb.set`` (so it can be used directly as ``token_secret: sdb://...`` elsewhere).

Messages name the sink, never the secret.
"""

import os

from salt.exceptions import CommandExecutionError
from salt.exceptions import SaltInvocationError

from saltext.pbs.utils import files


class Sink:
    """A validated token secret destination (see the module docstring)."""

    def __init__(self, secret_file=None, secret_sdb=None, opts=None, utils=None):
        self.path = secret_file
        self.uri = secret_sdb
        self.opts = opts or {}
        self.utils = utils

    @classmethod
    def from_args(cls, secret_file=None, secret_sdb=None, opts=None, utils=None):
        """Validate the user's sink arguments; None when neither is given."""
        if secret_file is not None and secret_sdb is not None:
            raise SaltInvocationError(
                "Give either 'secret_file' or 'secret_sdb' for the token secret, not both"
            )
        if secret_file is not None:
            if not isinstance(secret_file, str) or not os.path.isabs(secret_file):
                raise SaltInvocationError(
                    f"Invalid value for 'secret_file': expected an absolute path on the"
                    f" minion, got {secret_file!r}"
                )
            if secret_file.endswith(os.sep) or os.path.isdir(secret_file):
                raise SaltInvocationError(
                    f"Invalid value for 'secret_file': '{secret_file}' is a directory; name"
                    " the file to write"
                )
        if secret_sdb is not None:
            if not isinstance(secret_sdb, str) or not secret_sdb.startswith("sdb://"):
                raise SaltInvocationError(
                    f"Invalid value for 'secret_sdb': expected an 'sdb://<profile>/<key>'"
                    f" URI, got {secret_sdb!r}"
                )
            rest = secret_sdb[len("sdb://") :]
            if "/" not in rest or not rest.split("/", 1)[0] or not rest.split("/", 1)[1]:
                raise SaltInvocationError(
                    f"Invalid value for 'secret_sdb': '{secret_sdb}' lacks a profile or a key"
                    " ('sdb://<profile>/<key>')"
                )
            profile = rest.split("/", 1)[0]
            if opts is not None and profile not in opts and not _in_pillar(opts, profile):
                raise SaltInvocationError(
                    f"Invalid value for 'secret_sdb': no sdb profile '{profile}' is configured"
                    " on this minion"
                )
        if secret_file is None and secret_sdb is None:
            return None
        return cls(secret_file, secret_sdb, opts, utils)

    def __str__(self):
        return f"file {self.path}" if self.path else self.uri

    @property
    def args(self):
        """The argument naming this sink, for messages (``secret_file=/x``)."""
        return f"secret_file={self.path}" if self.path else f"secret_sdb={self.uri}"

    def check(self):
        """Refuse a sink that cannot be written, before a secret is generated."""
        if not self.path:
            return
        parent = os.path.dirname(self.path)
        while parent and not os.path.exists(parent):
            parent = os.path.dirname(parent)
        if not parent or not os.access(parent, os.W_OK | os.X_OK):
            raise SaltInvocationError(
                f"Invalid value for 'secret_file': cannot write below '{parent or '/'}' on"
                " this minion"
            )

    def write(self, tokenid, secret):
        """Store the secret. Raises CommandExecutionError naming the sink (never the secret)."""
        try:
            if self.path:
                self._write_file(tokenid, secret)
            else:
                from salt.utils import sdb  # pylint: disable=import-outside-toplevel

                if not sdb.sdb_set(self.uri, secret, self.opts, self.utils):
                    raise CommandExecutionError(f"sdb refused to store the value at {self.uri}")
        except Exception as err:  # pylint: disable=broad-except
            # an sdb driver's error text might quote the value: show only what is safe
            if isinstance(err, OSError):
                reason = err.strerror or type(err).__name__
            elif isinstance(err, CommandExecutionError):
                reason = str(err)
            else:
                reason = f"{type(err).__name__} from the sdb driver"
            raise CommandExecutionError(
                f"The secret of API token '{tokenid}' could not be written to {self}"
                f" ({reason}); PBS shows a secret only once, so rotate it with"
                f" `salt-call pbs_token.regenerate {tokenid} {self.args}`"
            ) from None

    def _write_file(self, tokenid, secret):
        files.write_private(self.path, f"{tokenid}:{secret}\n")

    def holds(self, tokenid):
        """Whether the sink still holds a secret for ``tokenid``."""
        return self.read(tokenid) is not None

    def read(self, tokenid):
        """The secret the sink holds for ``tokenid``, or None (never logged by callers)."""
        if self.path:
            prefix = tokenid + ":"
            try:
                with open(self.path, encoding="utf-8") as fh:
                    for line in fh:
                        line = line.strip()
                        if line.startswith(prefix) and len(line) > len(prefix):
                            return line[len(prefix) :]
            except OSError:
                pass
            return None
        from salt.utils import sdb  # pylint: disable=import-outside-toplevel

        try:
            value = sdb.sdb_get(self.uri, self.opts, self.utils)
        except Exception:  # pylint: disable=broad-except
            return None
        if isinstance(value, str) and value and not value.startswith("sdb://"):
            return value
        return None


def _in_pillar(opts, profile):
    return isinstance(opts.get("pillar"), dict) and profile in opts["pillar"]
