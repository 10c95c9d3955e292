"""The reference against the Go oracle on more than 20,000 generated requests.

Expected answers come from the oracle only (../shared/oracle, built on the real Go toolchain).
Required on 100% of the requests: the same outcome, the same fields in the same order, every
value identical (state/oci/docker/output/oconfig/dconfig byte for byte), the same line bytes
wherever the values agree. Error texts: identical on at least 99% of the answers carrying one.

The counts (per op, per family) and the first mismatches are printed (shown with ``-rP`` or
``-s``) and written to ``reports/oracle-differential.{txt,json}``.
"""

from __future__ import annotations

import base64
import json
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests import protocol_vocabulary
from tests.oracle import compare, requestgen, runner

pytestmark = pytest.mark.oracle

MIN_REQUESTS = 20_000
ERROR_TEXT_AGREEMENT = 0.99
ALL_OPS = protocol_vocabulary.OPS
REPORTS = runner.ROOT / "reports"


@pytest.fixture(scope="module")
def oracle() -> list[str]:
    try:
        return runner.oracle_command()
    except runner.Unavailable as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def generated() -> list[requestgen.Case]:
    if not requestgen.CORPUS.is_dir():
        pytest.skip(f"{requestgen.CORPUS} is absent: no corpus to generate requests from")
    return list(requestgen.cases())


@pytest.fixture(scope="module")
def oracle_answers(oracle: list[str], generated: list[requestgen.Case]) -> list[bytes]:
    result = runner.stream(oracle, [c.encode() for c in generated])
    assert not result.failures, f"the oracle itself failed: {result.failures}"
    return [a for a in result.answers if a is not None]


def test_runner_reproduces_the_oracle_examples(oracle: list[str]) -> None:
    """The streaming runner returns the oracle's own recorded answers, in order, byte for
    byte (the examples and semantics files with their .out.jsonl)."""
    for name in ("examples", "semantics"):
        lines = [
            line
            for line in (requestgen.ORACLE_DIR / f"{name}.jsonl").read_bytes().splitlines()
            if line.strip()
        ]
        expected = (requestgen.ORACLE_DIR / f"{name}.out.jsonl").read_bytes().splitlines()
        result = runner.stream(oracle, lines, timeout=120)
        assert result.failures == {}
        assert result.answers == expected


# Evidence, in the oracle's answers, that the mutations reach each rule of GO_JSON_SEMANTICS.md
# and each quirk of the original: (what, a byte string some answer must contain).
RULE_EVIDENCE: tuple[tuple[str, bytes], ...] = (
    ("§1 truncated input", b"unexpected end of JSON input"),
    ("§1 other syntax errors", b"looking for beginning of value"),
    ("§1 second top-level value", b"after top-level value"),
    ("§1 depth limit", b"exceeded max depth"),
    ("§5 type mismatch", b"json: cannot unmarshal"),
    ("§5 StrSlice abort", b"field Config.config.Cmd of type string"),
    ("§6 float in an int field", b"cannot unmarshal number 1.0 into"),
    ("§6 int64 overflow", b"cannot unmarshal number 9223372036854775808 into"),
    ("§7 invalid UTF-8 -> U+FFFD", "\ufffd".encode()),
    ("§8 HTML escaping", b"\\\\u003c"),
    ("§8 U+2028 escaping", b"\\\\u2028"),
    ("§8 control characters", b"\\\\u0000"),
    ("§9 bad base64", b"illegal base64 data at input byte"),
    ("§12 time parse error", b"parsing time"),
    ("§12 offset +99:99", b"+100:39"),
    ("§12 out-of-range dates", b"day out of range"),
    ("§12 year outside 0..9999", b"year outside of range [0,9999]"),
    ("§13 digest length", b"invalid checksum digest length"),
    ("§13 digest algorithm", b"unsupported digest algorithm"),
    ("§13 digest format", b"invalid checksum digest format"),
    ("§13 open: type check", b"container is not a kpod container"),
    ("§13 import_container: no name", b"container name must be specified"),
    ("§13 Save fails", b"error saving CopyData state"),
    ("§13 MakeImageRef: OCI encoding", b"error encoding OCI-format image configuration"),
    ("§13 MakeImageRef: docker encoding", b"error encoding docker-format image configuration"),
    ("§13 schema 1: no docker_version", b"error parsing image configuration from history"),
    ("§13 MakeImageRef: name rejected", b'"name":null'),
    ("§13 annotations nil", b'"annotations":null'),
    ("§13 nil pointer panic", b"invalid memory address or nil pointer dereference"),
    ("request errors", b"bad request: "),
    ("marshal failure reported, ok kept: state", b'"state_error":'),
    ("marshal failure reported, ok kept: oci", b'"oci_error":'),
    ("marshal failure reported, ok kept: docker", b'"docker_error":'),
    ("converter output does not marshal", b'"output_error":'),
    ("MakeImageRef created before year 0", b'"created":"-0'),
)


def test_generated_requests_reach_every_rule(
    generated: list[requestgen.Case], oracle_answers: list[bytes]
) -> None:
    counts = requestgen.tally(generated)
    assert len(generated) >= MIN_REQUESTS
    assert set(ALL_OPS) <= set(counts["op"])
    missing_families = set(requestgen.FAMILIES) - set(counts["family"]) - {"saved"}
    assert not missing_families
    # Only the generated families count here: the oracle's own files prove nothing about them.
    mine = [
        answer
        for case, answer in zip(generated, oracle_answers, strict=True)
        if case.family not in ("examples", "semantics")
    ]
    joined = b"\n".join(mine)
    unreached = [what for what, evidence in RULE_EVIDENCE if evidence not in joined]
    assert not unreached, f"no generated request reaches: {unreached}"
    # Go's two extra case folds are in the requests themselves.
    blobs = b"".join(
        base64.b64decode(c.request[k])
        for c in generated
        if c.family == "keycase"
        for k in ("config", "manifest", "state", "docker", "oci", "input")
        if isinstance(c.request.get(k), str)
    )
    assert "\u017f".encode() in blobs
    assert "\u212a".encode() in blobs


def _saved_states(
    generated: list[requestgen.Case], answers: list[bytes]
) -> list[tuple[dict[str, Any], str]]:
    saved = []
    for case, line in zip(generated, answers, strict=True):
        if case.op == "import_container":
            answer = json.loads(line)
            if answer.get("ok") and isinstance(answer.get("state"), str):
                saved.append((case.request, answer["state"]))
    return saved


def _write_reports(text: str, data: dict[str, Any]) -> Path:
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "oracle-differential.txt").write_text(text, encoding="utf-8")
    (REPORTS / "oracle-differential.json").write_text(
        json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    return REPORTS / "oracle-differential.txt"


def test_reference_matches_the_oracle(
    oracle: list[str],
    generated: list[requestgen.Case],
    oracle_answers: list[bytes],
    record_property: Callable[[str, object], None],
) -> None:
    assert len(generated) >= MIN_REQUESTS
    reference = runner.reference_command()
    probe = runner.stream(reference, [b'{"id":0,"op":"describe"}'], timeout=120, max_restarts=0)
    assert probe.answers[0] is not None, f"the reference does not answer: {probe.failures}"
    described = json.loads(probe.answers[0])
    assert described.get("ok") is True, described
    assert set(ALL_OPS) <= set(described["implementation"]["ops"])

    # Phase 2: open the states the oracle's import_container saved.
    phase2 = list(requestgen.saved_state_cases(_saved_states(generated, oracle_answers)))
    oracle2 = runner.stream(oracle, [c.encode() for c in phase2])
    assert not oracle2.failures, f"the oracle itself failed: {oracle2.failures}"

    cases = generated + phase2
    lines = [c.encode() for c in cases]
    expected = oracle_answers + [a for a in oracle2.answers if a is not None]
    started = time.monotonic()
    answered = runner.stream(reference, lines, timeout=900, answer_timeout=60)
    seconds = time.monotonic() - started

    summary, required, texts = compare.summarize(
        [c.family for c in cases], [c.request for c in cases], expected, answered.answers
    )
    total = summary.total
    agreement = total.error_agreement()
    counts = requestgen.tally(cases)
    head = (
        f"{total.cases} requests ({len(phase2)} of them phase 2, open of saved states), "
        f"reference {seconds:.1f} s ({total.cases / seconds:.0f}/s), "
        f"{answered.starts} process start(s)\n"
        f"outcome identical: {total.cases - total.outcome_diff}/{total.cases}; "
        f"all fields identical: {total.cases - total.required_diff}/{total.cases}; "
        f"whole lines identical: {total.cases - total.line_diff}/{total.cases}; "
        f"error texts identical: {total.with_error - total.error_diff}/{total.with_error} "
        f"({agreement:.2%}, need {ERROR_TEXT_AGREEMENT:.0%})\n"
        f"oracle outcomes: {dict(summary.outcomes)}\n"
    )
    pairs = textwrap.fill(
        ", ".join(f"{k} {v}" for k, v in sorted(counts["family/op"].items())), width=100
    )
    text = "\n\n".join(
        [
            head + summary.table(),
            "cases per family/op:\n" + pairs,
            "reference process failures: "
            + (json.dumps(answered.failures, indent=1) if answered.failures else "none"),
            "first required mismatches:\n" + ("\n\n".join(required) or "none"),
            "first error-text mismatches:\n" + ("\n\n".join(texts) or "none"),
        ]
    )
    path = _write_reports(
        text,
        {
            **summary.as_dict(),
            "reference_seconds": seconds,
            "error_text_agreement": agreement,
            "counts": {k: dict(sorted(v.items())) for k, v in counts.items()},
            "failures": answered.failures,
        },
    )
    print(text)
    record_property("requests", total.cases)
    record_property("outcome_diff", total.outcome_diff)
    record_property("required_diff", total.required_diff)
    record_property("error_text_agreement", round(agreement, 6))

    problems = []
    if answered.failures:
        problems.append(f"{len(answered.failures)} requests got no answer (process died or hung)")
    if total.outcome_diff:
        problems.append(f"{total.outcome_diff} requests with a different outcome")
    if total.required_diff:
        problems.append(f"{total.required_diff} requests with different fields or bytes")
    if agreement < ERROR_TEXT_AGREEMENT:
        problems.append(f"error texts identical on {agreement:.2%} only")
    assert not problems, (
        "; ".join(problems) + f" (full report: {path})\n\n" + "\n\n".join(required[:5] + texts[:3])
    )
