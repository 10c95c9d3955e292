"""The distribution as users get it: build the wheel and look inside."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from importlib.metadata import entry_points
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel_members(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("copydata_conformance-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        return zf.namelist()


def test_wheel_ships_both_packages_typed(wheel_members: list[str]) -> None:
    assert "reference/py.typed" in wheel_members
    assert "conformance/py.typed" in wheel_members
    assert "reference/protocol.py" in wheel_members
    assert "conformance/plugin.py" in wheel_members


def test_wheel_ships_fixtures_and_snapshots(wheel_members: list[str]) -> None:
    documents = [m for m in wheel_members if m.startswith("conformance/fixtures/documents/")]
    snapshots = [m for m in wheel_members if m.startswith("conformance/fixtures/snapshots/")]
    assert len(documents) >= 500
    assert snapshots, "the expected answers must ship inside the wheel"
    assert "conformance/fixtures/PROVENANCE.tsv" in wheel_members


def test_wheel_ships_nothing_else(wheel_members: list[str]) -> None:
    tops = {m.split("/", 1)[0] for m in wheel_members}
    assert tops == {"reference", "conformance", "copydata_conformance-0.1.0.dist-info"}
    forbidden = ("tests/", ".tox/", "shared/", "corpus/", "__pycache__", ".pyc")
    assert not [m for m in wheel_members if any(f in m for f in forbidden)]


def test_entry_points_are_declared() -> None:
    plugins = {ep.name: ep.value for ep in entry_points(group="pytest11")}
    assert plugins.get("copydata") == "conformance.plugin"
    scripts = {ep.name: ep.value for ep in entry_points(group="console_scripts")}
    assert scripts["copydata-conformance"] == "conformance.cli:main"
    assert scripts["copydata-reference"] == "reference.cli:main"
