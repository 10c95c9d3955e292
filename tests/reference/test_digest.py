"""reference.digest (go-digest v1.0.0-rc0) against the oracle and the spec.

The table (data/digest_cases.jsonl, made by data/generate.py) holds the oracle's answers for
~100 digests put in a v1 image's rootfs (type "layers"), which makeDockerV2S2Image runs through
digest.Parse, and for image IDs given to importCopyData (Parent = the ID if it parses as a digest,
else NewDigestFromHex("sha256", ID)).
"""

from __future__ import annotations

from typing import Any

import pytest

from reference import digest
from reference.errors import GoError
from tests.reference.data.generate import RUN_SH, answer_of, ask_oracle, load_cases, request_for

CASES = load_cases("digest")


def ours(case: dict[str, Any]) -> dict[str, Any]:
    """What reference.digest says for a case, in the shape of the oracle's stored answer."""
    value = case["input"]
    if case["table"] == "digest":
        try:
            parsed = digest.parse(value)
        except GoError as e:
            return {"ok": False, "stage": "call", "error": str(e)}
        return {"ok": True, "stage": None, "diff_ids": [parsed]}
    if case["table"] == "parent":
        if digest.is_valid(value):
            return {"ok": True, "parent": value}
        return {"ok": True, "parent": digest.new_digest_from_hex(digest.CANONICAL, value)}
    raise AssertionError(f"unknown table {case['table']}")


def oracle_view(case: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
    return {k: answer.get(k) for k in ours(case)}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_agrees_with_oracle_table(case: dict[str, Any]) -> None:
    assert ours(case) == oracle_view(case, case["answer"])


def test_table_covers_every_outcome() -> None:
    errors = {c["answer"]["error"] for c in CASES if c["table"] == "digest"}
    assert errors == {
        None,
        digest.ERR_DIGEST_INVALID_FORMAT,
        digest.ERR_DIGEST_INVALID_LENGTH,
        digest.ERR_DIGEST_UNSUPPORTED,
    }
    parents = [c for c in CASES if c["table"] == "parent"]
    assert any(c["answer"]["parent"] == c["input"] for c in parents)
    assert any(c["answer"]["parent"] != c["input"] for c in parents)


@pytest.mark.oracle
def test_live_oracle_agrees() -> None:
    if not RUN_SH.exists():
        pytest.skip(f"Go oracle not found at {RUN_SH}: live differential check of digest skipped")
    responses = ask_oracle([request_for(c) for c in CASES], [str(RUN_SH)])
    wrong, stale = [], []
    for case, resp in zip(CASES, responses, strict=True):
        live = answer_of(case["table"], resp)
        if live != case["answer"]:
            stale.append(case["id"])
        if ours(case) != oracle_view(case, live):
            wrong.append(f"{case['id']}: ours {ours(case)} oracle {oracle_view(case, live)}")
    assert not wrong, f"{len(wrong)} of {len(CASES)} disagree:\n" + "\n".join(wrong[:20])
    assert not stale, f"stored answers are stale ({stale[:10]}...): run data/generate.py"


# ------------------------------------------------------------------ spec (GO_JSON_SEMANTICS §13)

HEX64 = "a" * 64


def test_error_texts_are_rc0s() -> None:
    assert digest.ERR_DIGEST_INVALID_FORMAT == "invalid checksum digest format"
    assert digest.ERR_DIGEST_INVALID_LENGTH == "invalid checksum digest length"
    assert digest.ERR_DIGEST_UNSUPPORTED == "unsupported digest algorithm"


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("sha256:" + HEX64, None),
        ("sha256:" + HEX64.upper(), None),  # s148: upper-case hex is valid in rc0
        ("sha512:" + HEX64, "invalid checksum digest length"),  # s149
        ("md5:" + "a" * 32, "unsupported digest algorithm"),  # s150
        ("not a digest", "invalid checksum digest format"),
        ("sha256:" + HEX64 + "\n", "invalid checksum digest format"),  # Go's $ is end of text
    ],
)
def test_spec_examples(value: str, error: str | None) -> None:
    assert digest.validate(value) == error
    assert digest.is_valid(value) is (error is None)
    if error is None:
        assert digest.parse(value) == value
    else:
        with pytest.raises(GoError) as e:
            digest.parse(value)
        assert str(e.value) == error


def test_new_digest_from_hex_does_not_validate() -> None:
    assert digest.new_digest_from_hex("sha256", "abc") == "sha256:abc"
    assert digest.new_digest_from_hex(digest.CANONICAL, "") == "sha256:"
