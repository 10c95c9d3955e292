"""The Go original itself, run as a subprocess implementation, must pass the whole bundled suite.

This is the check that every snapshot in fixtures/snapshots agrees with Go: the expected answers
were written by the reference, and here the oracle answers every bundled case and the kit compares
at the strictest level (`errors`: outcome, values, bytes and error texts). It is also what a user
runs to validate a third-party implementation, so it exercises the CLI end to end.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.oracle import runner

pytestmark = pytest.mark.oracle


def _conformance_cli() -> list[str]:
    script = shutil.which("copydata-conformance")
    return [script] if script else [sys.executable, "-m", "conformance"]


@pytest.mark.parametrize("level", ["bytes", "errors"])
def test_go_original_passes_every_bundled_case(level: str, tmp_path: Path) -> None:
    try:
        oracle = runner.oracle_command()
    except runner.Unavailable as exc:
        pytest.skip(str(exc))
    report = tmp_path / "oracle.jsonl"
    completed = subprocess.run(
        [
            *_conformance_cli(),
            "--copydata-cmd",
            " ".join(oracle),
            "--copydata-level",
            level,
            "--copydata-report",
            str(report),
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        capture_output=True,
        text=True,
        timeout=1500,
        check=False,
    )
    tail = "\n".join(completed.stdout.splitlines()[-40:])
    assert completed.returncode == 0, f"the Go original fails the bundled suite:\n{tail}"
    lines = report.read_text(encoding="utf-8").splitlines()
    # Every bundled case was answered by Go and compared: none skipped, none missing.
    assert len(lines) >= 5000, tail
    assert '"level":null' not in report.read_text(encoding="utf-8").replace(" ", "")
