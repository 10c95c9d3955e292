"""Compare two answer lines field by field, and report where they part.

Levels checked for one request (PROTOCOL.md, "Outcomes and levels"):

* outcome: ok / error / panic (and "none" when the implementation gave no answer);
* fields: the same fields in the same order with the same JSON values — texts compared exactly,
  so ``state``/``oci``/``docker``/``output``/``oconfig``/``dconfig`` must be byte-identical;
  of the error fields only whether there is an error counts here;
* errors: the texts of the error fields;
* line: the whole line byte for byte (the JSON Lines transport promises the oracle's exact
  line; values can be equal while escapes differ).
"""

from __future__ import annotations

import base64
import binascii
import collections
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tests import protocol_vocabulary

ERROR_FIELDS = ("error", "state_error", "oci_error", "docker_error", "output_error")
BLOB_FIELDS = ("state", "oci", "docker", "output", "oconfig", "dconfig")
REQUEST_BLOBS = ("config", "manifest", "state", "docker", "oci", "input")
OPS = frozenset(["describe", *protocol_vocabulary.OPS])


class _Pairs(list[tuple[str, Any]]):
    """A JSON object with its members in order (so that field order is compared too)."""


def parse_answer(line: bytes) -> _Pairs | None:
    # The oracle echoes a request's raw id, invalid UTF-8 included: keep such bytes (as
    # surrogate escapes) rather than fail.
    try:
        value = json.loads(line.decode("utf-8", "surrogateescape"), object_pairs_hook=_Pairs)
    except ValueError:
        return None
    return value if isinstance(value, _Pairs) else None


def strictly_equal(a: Any, b: Any) -> bool:
    """Equal JSON values of the same Python types (1, 1.0 and true are all different here)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(strictly_equal(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def outcome(answer: _Pairs | None) -> str:
    if answer is None:
        return "none"
    fields = dict(answer)
    if fields.get("ok") is True:
        return "ok"
    return "panic" if fields.get("panic") is not None else "error"


def first_difference(a: bytes, b: bytes, context: int = 60) -> str:
    """Where two byte strings part, with `context` bytes on each side."""
    shorter = min(len(a), len(b))
    i = next((k for k in range(shorter) if a[k] != b[k]), shorter)
    lo = max(0, i - context)
    return (
        f"first difference at byte {i} (lengths {len(a)} / {len(b)}):\n"
        f"      oracle    …{a[lo : i + context]!r}…\n"
        f"      reference …{b[lo : i + context]!r}…"
    )


def _text_bytes(value: Any) -> bytes:
    # (Lone surrogates, from \ud800 escapes or undecodable bytes, get a 3-byte form: the same
    # on both sides, which is all a byte offset needs.)
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text.encode("utf-8", "surrogatepass")


@dataclass
class Verdict:
    outcome: tuple[str, str]  # (oracle, reference)
    fields_same: bool = True
    errors_same: bool = True
    has_error: bool = False  # the oracle's answer carries an error text
    line_same: bool = True
    differences: list[str] = field(default_factory=list)

    @property
    def outcome_same(self) -> bool:
        return self.outcome[0] == self.outcome[1]

    @property
    def encoding_same(self) -> bool:
        """The line differs although every value is equal: an escaping/formatting bug."""
        return self.line_same or not (self.fields_same and self.errors_same)

    @property
    def required_same(self) -> bool:
        return self.outcome_same and self.fields_same and self.encoding_same


def compare(oracle_line: bytes, reference_line: bytes | None) -> Verdict:
    oracle = parse_answer(oracle_line)
    if oracle is None:
        raise ValueError(f"the oracle's answer is not a JSON object: {oracle_line[:200]!r}")
    reference = None if reference_line is None else parse_answer(reference_line)
    verdict = Verdict(outcome=(outcome(oracle), outcome(reference)))
    verdict.has_error = any(isinstance(v, str) for k, v in oracle if k in ERROR_FIELDS)
    verdict.line_same = oracle_line == reference_line
    if reference is None:
        verdict.fields_same = verdict.errors_same = False
        what = "no answer" if reference_line is None else "an answer that is not a JSON object"
        verdict.differences.append(f"the reference gave {what}")
        return verdict
    if not verdict.outcome_same:
        verdict.differences.append(
            f"outcome: oracle {verdict.outcome[0]}, reference {verdict.outcome[1]}"
        )
    oracle_keys = [k for k, _ in oracle]
    reference_keys = [k for k, _ in reference]
    if oracle_keys != reference_keys:
        verdict.fields_same = False
        verdict.differences.append(
            f"fields: oracle {oracle_keys}\n      reference {reference_keys}"
        )
    theirs = dict(reference)
    for key, mine in oracle:
        if key not in theirs:
            continue
        other = theirs[key]
        if key in ERROR_FIELDS:
            if (mine is None) != (other is None):
                verdict.fields_same = False
                verdict.differences.append(f"{key}: oracle {mine!r}, reference {other!r}")
            elif not strictly_equal(mine, other):
                verdict.errors_same = False
                verdict.differences.append(
                    f"{key} text: oracle {mine!r}\n      reference {other!r}"
                )
        elif not strictly_equal(mine, other):
            verdict.fields_same = False
            verdict.differences.append(
                f"{key}: " + first_difference(_text_bytes(mine), _text_bytes(other))
            )
    if verdict.fields_same and verdict.errors_same and not verdict.line_same:
        assert reference_line is not None
        verdict.differences.append(
            "same values, different line bytes: " + first_difference(oracle_line, reference_line)
        )
    return verdict


def _show_request(request: dict[str, Any], limit: int = 700) -> str:
    """The request with its base64 blobs decoded (they are what a reader wants to see)."""
    lines = [json.dumps(request, ensure_ascii=False)[:limit]]
    for key in REQUEST_BLOBS:
        value = request.get(key)
        if isinstance(value, str):
            try:
                blob = base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                continue
            lines.append(f"    {key} = {blob[:limit]!r}{' …' if len(blob) > limit else ''}")
    return "\n".join(lines)


def report(
    index: int,
    family: str,
    request: dict[str, Any],
    oracle_line: bytes,
    reference_line: bytes | None,
    verdict: Verdict,
    limit: int = 1200,
) -> str:
    def cut(line: bytes | None) -> str:
        if line is None:
            return "(no answer)"
        text = line.decode("utf-8", "replace")
        return text[:limit] + (f" … ({len(line)} bytes)" if len(text) > limit else "")

    parts = [
        f"#{index} family={family} op={request.get('op')} id={request.get('id')!r}",
        "  request: " + _show_request(request),
        "  oracle:    " + cut(oracle_line),
        "  reference: " + cut(reference_line),
        *("  - " + d for d in verdict.differences),
    ]
    return "\n".join(parts)


@dataclass
class Tally:
    """Counts of one group of cases (a family, an op, or all)."""

    cases: int = 0
    outcome_diff: int = 0
    required_diff: int = 0
    with_error: int = 0
    error_diff: int = 0
    line_diff: int = 0

    def add(self, verdict: Verdict) -> None:
        self.cases += 1
        self.outcome_diff += not verdict.outcome_same
        self.required_diff += not verdict.required_same
        self.with_error += verdict.has_error
        self.error_diff += verdict.has_error and not verdict.errors_same
        self.line_diff += not verdict.line_same

    def error_agreement(self) -> float:
        return 1.0 if not self.with_error else 1 - self.error_diff / self.with_error


@dataclass
class Summary:
    total: Tally = field(default_factory=Tally)
    by_family: dict[str, Tally] = field(default_factory=lambda: collections.defaultdict(Tally))
    by_op: dict[str, Tally] = field(default_factory=lambda: collections.defaultdict(Tally))
    outcomes: collections.Counter[str] = field(default_factory=collections.Counter)

    def add(self, family: str, op: str, verdict: Verdict) -> None:
        self.total.add(verdict)
        self.by_family[family].add(verdict)
        self.by_op[op].add(verdict)
        self.outcomes[verdict.outcome[0]] += 1

    def table(self) -> str:
        rows = [
            f"{'':<18}{'cases':>7}{'outcome≠':>10}{'fields≠':>9}"
            f"{'errors':>8}{'text≠':>7}{'line≠':>7}"
        ]

        def row(name: str, t: Tally) -> str:
            return (
                f"{name:<18}{t.cases:>7}{t.outcome_diff:>10}{t.required_diff:>9}"
                f"{t.with_error:>8}{t.error_diff:>7}{t.line_diff:>7}"
            )

        rows.append("by op:")
        rows += [row("  " + k, v) for k, v in sorted(self.by_op.items())]
        rows.append("by family:")
        rows += [row("  " + k, v) for k, v in sorted(self.by_family.items())]
        rows.append(row("all", self.total))
        return "\n".join(rows)

    def as_dict(self) -> dict[str, Any]:
        def plain(t: Tally) -> dict[str, int]:
            return dict(vars(t))

        return {
            "total": plain(self.total),
            "oracle_outcomes": dict(self.outcomes),
            "by_op": {k: plain(v) for k, v in sorted(self.by_op.items())},
            "by_family": {k: plain(v) for k, v in sorted(self.by_family.items())},
        }


def summarize(
    families: Sequence[str],
    requests: Sequence[dict[str, Any]],
    oracle_lines: Sequence[bytes],
    reference_lines: Sequence[bytes | None],
    keep: int = 8,
) -> tuple[Summary, list[str], list[str]]:
    """The tallies, and reports of the first `keep` required mismatches and of the first `keep`
    error-text mismatches."""
    summary = Summary()
    required: list[str] = []
    texts: list[str] = []
    for i, (family, request, mine, theirs) in enumerate(
        zip(families, requests, oracle_lines, reference_lines, strict=True)
    ):
        verdict = compare(mine, theirs)
        op = request.get("op")
        summary.add(family, op if op in OPS else "(unknown op)", verdict)
        if not verdict.required_same and len(required) < keep:
            required.append(report(i, family, request, mine, theirs, verdict))
        elif verdict.has_error and not verdict.errors_same and len(texts) < keep:
            texts.append(report(i, family, request, mine, theirs, verdict))
    return summary, required, texts
