"""Salt Extension for Proxmox Backup Server 4.x."""

import pathlib

PACKAGE_ROOT = pathlib.Path(__file__).resolve().parent
__version__ = "0.1.0"
