"""reference.gojson against the Go oracle's answers to ``roundtrip`` (Unmarshal, then Marshal).

* the ``roundtrip`` cases of ``../shared/oracle/semantics.jsonl`` (GO_JSON_SEMANTICS.md) with
  the oracle's recorded answers;
* the adversarial cases of ``data/gojson_roundtrip.jsonl`` (see its generator beside it), with
  the answers the oracle gave when they were generated;
* live (``oracle`` marker): freshly generated cases, asked to the oracle now.
"""

from __future__ import annotations

import base64
import json
import random
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.reference.data import gen_gojson_roundtrip as gen

ORACLE_DIR = gen.REPO.parent / "shared" / "oracle"
RUN_SH = ORACLE_DIR / "run.sh"
CORPUS = gen.DEFAULT_CORPUS


def _diff(expected: dict[str, Any], got: dict[str, Any]) -> str:
    lines = []
    for key in dict.fromkeys([*expected, *got]):
        if expected.get(key, "<absent>") != got.get(key, "<absent>"):
            lines.append(f"  {key}: expected {expected.get(key, '<absent>')!r}")
            lines.append(f"  {key}:      got {got.get(key, '<absent>')!r}")
    if not lines and list(expected) != list(got):
        lines.append(f"  field order: expected {list(expected)}, got {list(got)}")
    return "\n".join(lines)


# --- GO_JSON_SEMANTICS.md -----------------------------------------------------------------------


def _semantics_cases() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    req_path = ORACLE_DIR / "semantics.jsonl"
    out_path = ORACLE_DIR / "semantics.out.jsonl"
    if not (req_path.exists() and out_path.exists()):
        return []
    reqs = [json.loads(line) for line in req_path.read_bytes().split(b"\n") if line.strip()]
    outs = [json.loads(line) for line in out_path.read_bytes().split(b"\n") if line.strip()]
    return [(q, a) for q, a in zip(reqs, outs, strict=True) if q["op"] == "roundtrip"]


SEMANTICS = _semantics_cases()


def test_semantics_file_has_roundtrip_cases() -> None:
    if not SEMANTICS:
        pytest.skip(f"{ORACLE_DIR}/semantics.jsonl is absent")
    assert len(SEMANTICS) >= 130


@pytest.mark.parametrize(
    ("request_", "answer"), SEMANTICS, ids=[q["id"] for q, _ in SEMANTICS] or None
)
def test_semantics_roundtrip(request_: dict[str, Any], answer: dict[str, Any]) -> None:
    if "input" in request_:
        data = base64.b64decode(request_["input"])
    else:
        data = request_["input_text"].encode("utf-8")
    expected = {k: v for k, v in answer.items() if k not in ("id", "op")}
    got = gen.reference_roundtrip(request_["type"], data)
    assert got == expected, _diff(expected, got)
    assert list(got) == list(expected), _diff(expected, got)


# --- the stored adversarial cases ---------------------------------------------------------------

CASES = gen.load_cases()
CHUNK = 250
CHUNKS = [CASES[i : i + CHUNK] for i in range(0, len(CASES), CHUNK)]


def test_stored_cases_cover_every_type_and_outcome() -> None:
    assert len(CASES) >= 5000
    assert {c["type"] for c in CASES} == set(gen.ROUNDTRIP_TYPE_NAMES)
    outcomes = {c["expect"].get("stage") if "expect" in c else c["stage"] for c in CASES}
    assert {None, "decode"} <= outcomes


@pytest.mark.parametrize("chunk", CHUNKS, ids=[f"{c[0]['id']}..{c[-1]['id']}" for c in CHUNKS])
def test_stored_cases(chunk: list[dict[str, Any]]) -> None:
    failures: list[str] = []
    skipped = 0
    for case in chunk:
        recipe = case.get("recipe", {})
        if "file" in recipe and not CORPUS.is_dir():
            skipped += 1
            continue
        data = gen.case_input(case, CORPUS)
        if "input_sha256" in case and gen.sha256(data) != case["input_sha256"]:
            failures.append(
                f"{case['id']}: the generator no longer builds this input: rerun "
                "tests/reference/data/gen_gojson_roundtrip.py"
            )
            continue
        got = gen.reference_roundtrip(case["type"], data)
        if "expect" in case:
            expected = case["expect"]
            got_c = gen.compact(got)
            if got_c != expected or list(got_c) != list(expected):
                failures.append(
                    f"{case['id']} ({case.get('label', '')}) {case['type']} {data[:200]!r}\n"
                    + _diff(expected, got_c)
                )
        elif gen.sha256(gen.canonical(got)) != case["expect_sha256"]:
            failures.append(
                f"{case['id']} {case['type']} {recipe}: expected ok={case['ok']} "
                f"stage={case['stage']} (answer sha256 {case['expect_sha256'][:12]}), got "
                f"ok={got['ok']} stage={got.get('stage')} error={got.get('error')!r}"
            )
    if skipped == len(chunk):
        pytest.skip(f"corpus cases: {CORPUS} is absent")
    assert not failures, f"{len(failures)} of {len(chunk)} disagree with Go:\n" + "\n".join(
        failures[:10]
    )


# --- live ---------------------------------------------------------------------------------------

LIVE_SEED = random.Random().randrange(2, 1 << 30)


@pytest.mark.oracle
def test_live_oracle() -> None:
    """Fresh cases (a new seed every run, printed on failure), asked to the oracle now."""
    if not RUN_SH.exists() or shutil.which("bash") is None:
        pytest.skip(f"the Go oracle is absent ({RUN_SH})")
    requests: list[tuple[str, str, bytes]] = [
        (f"t{n}", t, d) for n, (_, t, d) in enumerate(gen.typed_cases(LIVE_SEED, 600))
    ]
    if CORPUS.is_dir():
        for n, recipe in enumerate(gen.corpus_recipes(CORPUS, LIVE_SEED, 600)):
            t, d = gen.corpus_input(recipe, CORPUS)
            requests.append((f"c{n}", t, d))
    # and a sample of the stored cases: a changed oracle must not go unnoticed
    for case in random.Random(LIVE_SEED).sample(CASES, 300):
        if "file" in case.get("recipe", {}) and not CORPUS.is_dir():
            continue
        requests.append((case["id"], case["type"], gen.case_input(case, CORPUS)))
    answers = gen.ask_oracle([str(RUN_SH)], requests)
    failures = []
    for cid, t, data in requests:
        got = gen.reference_roundtrip(t, data)
        if got != answers[cid] or list(got) != list(answers[cid]):
            failures.append(f"{cid} {t} {data[:200]!r}\n{_diff(answers[cid], got)}")
    assert not failures, (
        f"seed {LIVE_SEED}: {len(failures)} of {len(requests)} disagree with Go:\n"
        + "\n".join(failures[:10])
    )


def test_data_file_has_no_corpus_content() -> None:
    """Corpus documents belong to others: corpus cases store recipes and hashes only."""
    for case in CASES:
        if "file" in case.get("recipe", {}):
            assert "input" not in case
            assert "expect" not in case
            assert set(case) == {
                "id",
                "type",
                "recipe",
                "input_sha256",
                "ok",
                "stage",
                "expect_sha256",
            }


def test_generator_is_beside_its_data() -> None:
    assert Path(gen.__file__).parent == gen.DATA_FILE.parent
