"""Sphinx configuration for the saltext-pbs documentation (built with ``make docs``)."""

import pathlib
import sys

DOCS = pathlib.Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tools"))

import gen_ref_docs  # noqa: E402  pylint: disable=wrong-import-position

# The per-module reference pages are generated, so new modules appear without hand edits.
gen_ref_docs.generate()

from saltext.pbs import __version__  # noqa: E402  pylint: disable=wrong-import-position

project = "saltext-pbs"
author = "saltext-pbs contributors"
copyright = "2026, saltext-pbs contributors"  # pylint: disable=redefined-builtin
release = version = __version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "myst_parser",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
exclude_patterns = ["_build"]

autodoc_default_options = {"members": True, "member-order": "bysource"}

html_theme = "furo"
html_title = f"saltext-pbs {release}"
