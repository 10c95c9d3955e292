"""The report: exact JSON Lines, counts and percentages computed by hand, escaping, xdist merge."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from conformance.report import CaseResult, Report, merge, parts_of, percent, summary_line

IMPLEMENTATION = {"name": "fake", "version": "1.2", "language": "rust", "ops": ["open", "make_oci"]}

OUTCOME_DIFFERS = "outcome: expected panic, got error"
# Four cases ran (one per reached level, and one whose outcome differs), one was skipped, one
# had no response at all.
RESULTS = [
    CaseResult("open/a", "open", "errors", "ok", "ok"),
    CaseResult("open/b", "open", "bytes", "error", "error", "error: first difference at ..."),
    CaseResult("make_oci/c", "make_oci", "semantic", "ok", "ok", "output: first difference ..."),
    CaseResult("make_oci/d", "make_oci", None, "error", "panic", OUTCOME_DIFFERS),
    CaseResult("open/e", "open", None, None, "ok", None, "no response within 2 s to request c-5"),
    CaseResult("roundtrip/f", "roundtrip", skipped_reason="op not supported by the implementation"),
]


@pytest.mark.parametrize(
    ("count", "of", "expected"),
    [
        (97, 100, "97%"),
        (100, 100, "100%"),
        (2, 3, "66.6%"),  # rounded down, not to 66.7
        (1, 3, "33.3%"),
        (9999, 10000, "99.9%"),  # never a "100%" that is not
        (1, 10000, "0%"),
        (0, 5, "0%"),
        (1, 0, "n/a"),
    ],
)
def test_percent(count: int, of: int, expected: str) -> None:
    assert percent(count, of) == expected


def test_summary_line() -> None:
    # 5 cases ran (the skipped one does not count): at least outcome: a, b, c = 3 -> 60%;
    # semantic: a, b, c = 60%; bytes: a, b = 40%; errors: a = 20%.
    assert summary_line(RESULTS) == "outcome: 60%, semantic: 60%, bytes: 40%, errors: 20%"


def test_case_result_validation_and_json() -> None:
    with pytest.raises(ValueError, match="unknown level"):
        CaseResult("x", "open", "exact")
    result = CaseResult.from_json({"id": "x", "op": "open", "level": "bytes", "extra": 1})
    assert result == CaseResult("x", "open", "bytes")
    assert list(result.to_json()) == [
        "id",
        "op",
        "level",
        "outcome",
        "expected_outcome",
        "difference",
        "failure",
        "skipped_reason",
    ]


def test_finish_writes_sorted_json_lines(tmp_path: Path) -> None:
    report = Report(tmp_path / "out" / "report.jsonl")
    for result in reversed(RESULTS):
        report.add(result)
    report.finish(IMPLEMENTATION, "0.1.0", ["fixtures 2017-09", "../shared/corpus"])
    lines = (tmp_path / "out" / "report.jsonl").read_text().splitlines()
    assert [json.loads(line)["id"] for line in lines] == [
        "make_oci/c",
        "make_oci/d",
        "open/a",
        "open/b",
        "open/e",
        "roundtrip/f",
    ]
    assert lines[2] == (
        '{"id": "open/a", "op": "open", "level": "errors", "outcome": "ok", '
        '"expected_outcome": "ok", "difference": null, "failure": null, "skipped_reason": null}'
    )
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "report.jsonl",
        "report.jsonl.html",
        "report.jsonl.md",
    ]  # and no temporary file left behind


def test_markdown_summary(tmp_path: Path) -> None:
    report = Report(tmp_path / "r.jsonl")
    for result in RESULTS:
        report.add(result)
    report.finish(IMPLEMENTATION, "0.1.0", ["fixtures 2017-09"])
    md = (tmp_path / "r.jsonl.md").read_text()
    assert "**outcome: 60%, semantic: 60%, bytes: 40%, errors: 20%** (5 cases ran, 1 skipped)" in md
    assert "- name: fake\n- version: 1.2\n- language: rust\n- ops: open, make\\_oci\n" in md
    assert "- kit: copydata-conformance 0.1.0\n- corpus: fixtures 2017-09\n" in md
    # open: a (errors), b (bytes), e (no response): 3 ran.
    assert "| open | 3 | 0 | 1 | 2 (66.6%) | 2 (66.6%) | 2 (66.6%) | 1 (33.3%) |" in md
    # make_oci: c (semantic), d (outcome differs).
    assert "| make\\_oci | 2 | 0 | 0 | 1 (50%) | 1 (50%) | 0 (0%) | 0 (0%) |" in md
    assert "| roundtrip | 1 | 1 | 0 | 0 (n/a) | 0 (n/a) | 0 (n/a) | 0 (n/a) |" in md
    assert "| **total** | 6 | 1 | 1 | 3 (60%) | 3 (60%) | 2 (40%) | 1 (20%) |" in md
    assert "## Cases below the `errors` level (4)" in md
    assert (
        "| open/e | open | ok | — | — | no response: no response within 2 s to request c-5 |" in md
    )
    assert (
        "| make\\_oci/d | make\\_oci | panic | error | — | outcome: expected panic, got error |"
        in md
    )
    assert "- 1 × op not supported by the implementation" in md
    assert "open/a" not in md  # it reached the top level


def test_markdown_and_html_escape_what_they_quote(tmp_path: Path) -> None:
    nasty = 'state: expected "<a|b>" & `x` *y*\nsecond line </td><script>alert(1)</script>'
    report = Report(tmp_path / "r.jsonl")
    report.add(CaseResult("x|<y>", "open", "outcome", "ok", "ok", nasty))
    report.finish({"name": "<b>impl</b>", "version": "1", "language": "go", "ops": []}, "0", [])
    md = (tmp_path / "r.jsonl.md").read_text()
    row = next(line for line in md.splitlines() if line.startswith("| x"))
    assert row == (
        '| x\\|&lt;y&gt; | open | ok | ok | outcome | state: expected "&lt;a\\|b&gt;" &amp; '
        "\\`x\\` \\*y\\* second line &lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt; |"
    )
    page = (tmp_path / "r.jsonl.html").read_text()
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;impl&lt;/b&gt;" in page
    assert "x|&lt;y&gt;" in page
    # standalone: no external stylesheet, script, image or font
    for marker in ("<link", "<script", "<img", "src=", "@import", "url("):
        assert marker not in page


def test_html_matrix(tmp_path: Path) -> None:
    report = Report(tmp_path / "r.jsonl")
    for result in RESULTS:
        report.add(result)
    report.finish(IMPLEMENTATION, "0.1.0", [])
    page = (tmp_path / "r.jsonl.html").read_text()
    assert page.startswith("<!DOCTYPE html>\n")
    assert (
        '<tr><td><code>open</code></td><td class="n">3</td><td class="n">0</td>'
        '<td class="n">1</td><td class="n part">2 (66.6%)</td>'
    ) in page
    assert '<td class="n none">0 (0%)</td>' in page  # make_oci never reached bytes


def test_long_differences_are_clipped_in_summaries_but_not_in_json_lines(tmp_path: Path) -> None:
    long = "d" * 5000
    report = Report(tmp_path / "r.jsonl")
    report.add(CaseResult("x", "open", "outcome", "ok", "ok", long))
    report.finish(IMPLEMENTATION, "0", [])
    assert json.loads((tmp_path / "r.jsonl").read_text())["difference"] == long
    assert "d" * 399 + "…" in (tmp_path / "r.jsonl.md").read_text()
    assert long not in (tmp_path / "r.jsonl.html").read_text()


def test_a_later_result_replaces_an_earlier_one(tmp_path: Path) -> None:
    report = Report(tmp_path / "r.jsonl")
    report.add(CaseResult("x", "open", None, "error", "ok", "outcome: ..."))
    report.add(CaseResult("x", "open", "errors", "ok", "ok"))
    assert report.results == [CaseResult("x", "open", "errors", "ok", "ok")]


def test_output_is_deterministic(tmp_path: Path) -> None:
    texts = []
    for seed in range(3):
        shuffled = list(RESULTS)
        random.Random(seed).shuffle(shuffled)
        report = Report(tmp_path / f"{seed}" / "r.jsonl")
        for result in shuffled:
            report.add(result)
        report.finish(IMPLEMENTATION, "0.1.0", ["c"])
        texts.append(
            [
                (tmp_path / f"{seed}" / name).read_bytes()
                for name in ("r.jsonl", "r.jsonl.md", "r.jsonl.html")
            ]
        )
    assert texts[0] == texts[1] == texts[2]


def test_xdist_parts_merge_into_the_same_report(tmp_path: Path) -> None:
    whole = Report(tmp_path / "whole" / "r.jsonl")
    for result in RESULTS:
        whole.add(result)
    whole.finish(IMPLEMENTATION, "0.1.0", ["c"])

    target = tmp_path / "merged" / "r.jsonl"
    workers = {"gw0": RESULTS[::2], "gw1": RESULTS[1::2], "gw2": []}
    for worker, results in workers.items():
        part = Report(target)
        for result in results:
            part.add(result)
        assert part.write_part(worker, IMPLEMENTATION, "0.1.0", ["c"]) == target.with_name(
            f"r.jsonl.part-{worker}"
        )
    parts = parts_of(target)
    assert [p.name for p in parts] == ["r.jsonl.part-gw0", "r.jsonl.part-gw1", "r.jsonl.part-gw2"]
    merged = merge(parts, target)
    assert merged.results == whole.results
    for name in ("r.jsonl", "r.jsonl.md", "r.jsonl.html"):
        assert (tmp_path / "merged" / name).read_bytes() == (tmp_path / "whole" / name).read_bytes()


def test_line_separators_stay_inside_their_line(tmp_path: Path) -> None:
    # U+2028 is a line break for str.splitlines and JavaScript: escaped, one case is one line.
    odd = CaseResult("x", "open", "outcome", "ok", "ok", 'state: at $.User: "\u2028\u2029é"')
    report = Report(tmp_path / "r.jsonl")
    report.add(odd)
    report.write_part("gw0", IMPLEMENTATION, "0", [])
    merged = merge(parts_of(tmp_path / "r.jsonl"), tmp_path / "r.jsonl")
    assert merged.results == [odd]
    text = (tmp_path / "r.jsonl").read_text()
    assert text.splitlines() == [text.rstrip("\n")]
    assert "\\u2028\\u2029é" in text
    assert json.loads(text) == odd.to_json()


def test_merge_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no report parts"):
        merge([], tmp_path / "r.jsonl")
    bogus = tmp_path / "r.jsonl.part-x"
    bogus.write_text('{"id": "x"}\n')
    with pytest.raises(ValueError, match="is not a report part"):
        merge([bogus], tmp_path / "r.jsonl")
