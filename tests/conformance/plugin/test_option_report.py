"""--copydata-report / copydata_report: the per-case report (JSON Lines, Markdown, HTML)."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import Sandbox


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _by_id(path: Path) -> dict[str, dict[str, object]]:
    return {str(line["id"]): line for line in _lines(path) if "id" in line}


def test_every_case_is_reported_with_the_level_it_reached(kit: Sandbox) -> None:
    path = kit.path / "out" / "report.jsonl"
    result = kit.run("--copydata-impl", "fakes:reformatted", "--copydata-report", str(path))
    result.stdout.fnmatch_lines([f"report: {path}"])
    results = _by_id(path)
    assert set(results) == {case.id for case in kit.cases}
    for case in kit.cases:
        expected = kit.handle(dict(case.request))
        has_text = any(isinstance(expected.get(t), str) for t in ("state", "output", "oconfig"))
        line = results[case.id]
        assert line["op"] == case.op
        assert line["level"] == ("semantic" if has_text else "errors"), case.id
        assert line["outcome"] == line["expected_outcome"]
    # Markdown and HTML beside it (named by conformance.report)
    assert {p.name for p in (kit.path / "out").iterdir()} >= {
        "report.jsonl",
        "report.jsonl.md",
        "report.jsonl.html",
    }


def test_skips_and_failures_are_reported(kit: Sandbox) -> None:
    path = kit.path / "report.jsonl"
    kit.run("--copydata-cmd", kit.fake_server("crash-on-open"), "--copydata-report", str(path))
    results = _by_id(path)
    crashed = [line for line in results.values() if line["op"] == "open"]
    assert crashed
    for line in crashed:
        assert line["level"] is None
        assert "crashed" in str(line["failure"])
    path.unlink()
    kit.run("--copydata-impl", "fakes:without_roundtrip", "--copydata-report", str(path))
    skipped = [line for line in _by_id(path).values() if line["op"] == "roundtrip"]
    assert skipped
    assert all("does not list op 'roundtrip'" in str(line["skipped_reason"]) for line in skipped)


def test_the_ini_key_gives_the_path_and_junit_gets_the_levels(kit: Sandbox) -> None:
    kit.pytester.makeini("[pytest]\ncopydata_report = ini-report.jsonl\n")
    kit.run("--junitxml", "junit.xml")
    assert set(_by_id(kit.path / "ini-report.jsonl")) == {case.id for case in kit.cases}
    junit = (kit.path / "junit.xml").read_text(encoding="utf-8")
    assert junit.count('<property name="copydata_level" value="errors" />') == len(kit.cases)


def test_no_report_without_the_option(kit: Sandbox) -> None:
    kit.run()
    assert not list(kit.path.glob("*.jsonl"))
