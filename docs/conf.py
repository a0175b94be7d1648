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


def _salt_names(app, doctree):  # pylint: disable=unused-argument
    """Show functions as Salt calls them (``pbs_datastore.list``, ``pbs.version``).

    autodoc names objects by their Python path (``saltext.pbs.modules.pbs_datastore.list_``);
    a reader types the virtual name and the ``__func_alias__`` name instead.
    """
    import importlib  # pylint: disable=import-outside-toplevel

    from docutils import nodes  # pylint: disable=import-outside-toplevel
    from sphinx import addnodes  # pylint: disable=import-outside-toplevel

    for sig in doctree.findall(addnodes.desc_signature):
        module_name = sig.get("module") or ""
        if not module_name.startswith("saltext.pbs.") or "." in sig.get("fullname", "."):
            continue
        module = importlib.import_module(module_name)
        virtual = getattr(module, "__virtualname__", module_name.rsplit(".", 1)[1])
        aliases = getattr(module, "__func_alias__", {})
        for addname in sig.findall(addnodes.desc_addname):
            addname.children = [nodes.Text(f"{virtual}.")]
        for name in sig.findall(addnodes.desc_name):
            called = aliases.get(name.astext(), name.astext())
            name.children = [nodes.Text(called)]


def setup(app):
    app.connect("doctree-read", _salt_names)
