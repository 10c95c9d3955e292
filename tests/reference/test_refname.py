"""reference.refname (containers/image reference.ParseNamed, 2017) against the oracle and spec.

The table (data/refname_cases.jsonl, made by data/generate.py) holds the oracle's `name` for
~150 names given to MakeImageRef: `reference.ParseNamed(names[0]).String()`, or null where
ParseNamed errs.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from reference.refname import parse_named
from tests.reference.data.generate import RUN_SH, answer_of, ask_oracle, load_cases, request_for

CASES = load_cases("refname")


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_agrees_with_oracle_table(case: dict[str, Any]) -> None:
    assert case["answer"]["ok"] is True
    assert parse_named(case["input"]) == case["answer"]["name"]


def test_table_covers_both_outcomes() -> None:
    accepted = [c for c in CASES if c["answer"]["name"] is not None]
    assert 30 < len(accepted) < len(CASES) - 30


@pytest.mark.oracle
def test_live_oracle_agrees() -> None:
    if not RUN_SH.exists():
        pytest.skip(f"Go oracle not found at {RUN_SH}: live differential check of refname skipped")
    responses = ask_oracle([request_for(c) for c in CASES], [str(RUN_SH)])
    wrong, stale = [], []
    for case, resp in zip(CASES, responses, strict=True):
        live = answer_of(case["table"], resp)
        if live != case["answer"]:
            stale.append(case["id"])
        if parse_named(case["input"]) != live.get("name"):
            wrong.append(f"{case['id']}: {case['input']!r}: oracle {live.get('name')!r}")
    assert not wrong, f"{len(wrong)} of {len(CASES)} disagree:\n" + "\n".join(wrong[:20])
    assert not stale, f"stored answers are stale ({stale[:10]}...): run data/generate.py"


# ------------------------------------------------------------------ spec (GO_JSON_SEMANTICS §13)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("docker.io/library/busybox:latest", "docker.io/library/busybox:latest"),  # s154
        ("busybox", None),  # s153: not canonical
        ("docker.io/library/busybox", "docker.io/library/busybox"),
        ("docker.io/busybox", None),  # normalizes to docker.io/library/busybox
        ("index.docker.io/library/busybox", None),  # normalizes to docker.io/...
        ("localhost/app", "localhost/app"),
        ("a" * 64, None),  # a 64-hex identifier is refused outright
        (
            "docker.io/library/busybox@sha256:" + "A" * 64,
            "docker.io/library/busybox@sha256:" + "A" * 64,
        ),
        ("docker.io/library/busybox:latest\n", None),  # Go's $ is the end of the text
    ],
)
def test_spec_examples(name: str, expected: str | None) -> None:
    assert parse_named(name) == expected


@pytest.mark.parametrize(
    "name",
    [
        "example.com/" + "a" * 20_000 + "!",
        "example.com/" + "a-" * 10_000 + "!",
        "a" * 20_000 + ":" + "1" * 20_000 + "/a!",
        "x" + ".a" * 10_000 + "/b!",
        "docker.io/library/" + "a." * 10_000 + "A",
    ],
)
def test_no_catastrophic_backtracking(name: str) -> None:
    # Go's RE2 is linear; the Go expressions copied verbatim into Python's backtracking `re`
    # take exponential time on such inputs (see _NAME_COMPONENT).
    start = time.perf_counter()
    assert parse_named(name) is None
    assert time.perf_counter() - start < 2.0
