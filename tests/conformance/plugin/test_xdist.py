"""pytest-xdist: ``-n 2`` gives the same verdicts, one merged report and one summary."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from .conftest import Sandbox

pytest.importorskip("xdist")


def _verdicts(result: pytest.RunResult) -> dict[str, str]:
    verdicts = {}
    for line in result.outlines:
        for word in ("PASSED", "FAILED", "SKIPPED", "XFAIL"):
            if f" {word}" in line and "::" in line:
                node = line.split("::", 1)[1].split(" ")[0]
                verdicts[node] = word
    return verdicts


def _text(path: Path) -> str:
    # the wire ids of requests (c-1, c-2 ...) depend on which worker ran what
    return re.sub(r"request c-[0-9]+", "request c-N", path.read_text(encoding="utf-8"))


def test_parallel_runs_give_the_same_verdicts_and_report(kit: Sandbox) -> None:
    args = ("--copydata-cmd", kit.fake_server("crash-on-open"), "-v", "-p", "no:randomly")
    serial = kit.run_subprocess(*args, "--copydata-report", "serial.jsonl")
    parallel = kit.run_subprocess(*args, "-n", "2", "--copydata-report", "parallel.jsonl")
    assert serial.ret == parallel.ret == 1
    assert serial.parseoutcomes() == parallel.parseoutcomes()
    assert _verdicts(serial) == _verdicts(parallel)
    assert len(_verdicts(serial)) == len(kit.cases) + 2
    # one report, every case, the same lines (the implementation came from a worker)
    serial_lines = _text(kit.path / "serial.jsonl").splitlines()
    assert _text(kit.path / "parallel.jsonl").splitlines() == serial_lines
    assert {json.loads(line)["id"] for line in serial_lines} == {c.id for c in kit.cases}
    assert _text(kit.path / "parallel.jsonl.md") == _text(kit.path / "serial.jsonl.md")
    # the summary is printed once, by the controller
    assert parallel.stdout.str().count("= copydata conformance =") == 1
    parallel.stdout.fnmatch_lines(["open * 2 * 0 * 0 * 0 * 0 * 2 * 0"])


def test_parallel_snapshot_update_writes_the_same_files(kit: Sandbox) -> None:
    before = {p.name: p.read_bytes() for p in kit.snapshots.rglob("*.json")}
    shutil.rmtree(kit.snapshots)
    result = kit.run_subprocess("-n", "2", "--snapshot-update")
    assert result.ret == 0
    assert {p.name: p.read_bytes() for p in kit.snapshots.rglob("*.json")} == before
