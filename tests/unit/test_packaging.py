"""The wheel a user builds from a checkout: what it declares and what it carries.

saltext-pbs is installed from a wheel or a checkout (docs/topics/installation.md), so the
wheel is the product: its entry points are how Salt and pytest find the extension.
"""

import configparser
import email
import pathlib
import subprocess
import sys
import zipfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "saltext" / "pbs"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    # No build isolation: the test venv already has setuptools and wheel, and isolation
    # would download them again on every run.
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("saltext_pbs-*-py3-none-any.whl")
    with zipfile.ZipFile(path) as archive:
        yield archive


def _dist_info(archive, name):
    (member,) = [n for n in archive.namelist() if n.endswith(".dist-info/" + name)]
    return archive.read(member).decode()


def test_metadata_names_runtime_requirements_and_extras(wheel):
    meta = email.message_from_string(_dist_info(wheel, "METADATA"))
    assert meta["Name"] == "saltext-pbs"
    assert meta["Requires-Python"] == ">=3.10"
    requires = meta.get_all("Requires-Dist")
    runtime = sorted(r for r in requires if "extra ==" not in r)
    assert runtime == ["requests>=2.28", "salt>=3006"]
    assert "simulator" in meta.get_all("Provides-Extra")
    assert 'cryptography>=3.4; extra == "simulator"' in requires


def test_entry_points_register_the_salt_loader_and_the_pytest_plugin(wheel):
    entry_points = configparser.ConfigParser()
    entry_points.read_string(_dist_info(wheel, "entry_points.txt"))
    assert entry_points["salt.loader"]["saltext.pbs"] == "saltext.pbs"
    assert entry_points["pytest11"]["pbs_simulator"] == "saltext.pbs.simulator.pytest_plugin"


def test_wheel_carries_every_source_module_and_nothing_else(wheel):
    shipped = {n for n in wheel.namelist() if not n.startswith("saltext_pbs-")}
    sources = {
        str(p.relative_to(ROOT / "src"))
        for p in PACKAGE.rglob("*.py")
        if "__pycache__" not in p.parts
    }
    assert sources <= shipped, sorted(sources - shipped)[:5]
    assert all(n.startswith("saltext/pbs/") for n in shipped), sorted(shipped)[:5]
    assert not [n for n in shipped if "/tests/" in n or n.endswith(".pyc")]
