"""`tox -e bench` (bench/run.py) works: a small run prints the ratio and both peak memories.

No timing is asserted (shared, noisy machines): only that the benchmark measures both
implementations in one run, on identical answers, and reports what it promises.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.oracle import runner

pytestmark = pytest.mark.oracle


def test_bench_smoke() -> None:
    try:
        runner.oracle_command()
    except runner.Unavailable as exc:
        pytest.skip(str(exc))
    completed = subprocess.run(
        [sys.executable, str(runner.ROOT / "bench" / "run.py"), "--limit", "600", "--by-op"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=runner.ROOT,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    out = completed.stdout
    assert "throughput ratio reference / oracle" in out, out
    assert "identical answer lines: 600/600" in out, out
    assert out.count("MiB") >= 2, out  # peak memory of both processes
    # --by-op: a row per op with at least 100 of the 600 requests (import_image has ~180)
    assert "op, streamed alone" in out, out
    assert any(line.startswith("import_image ") for line in out.splitlines()), out
